/**
 * Numbered schema migrations, applied in order inside one transaction each; `PRAGMA user_version` holds
 * the number of the last one applied. Never edit a released migration: add the next number.
 *
 * Amounts are TEXT decimal strings (DESIGN.md §4); times are INTEGER ms since epoch UTC.
 */
export interface Migration {
  version: number
  name: string
  sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'portfolios, imports, instruments, positions, market snapshots, stress runs',
    sql: `
CREATE TABLE portfolios (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL
);

-- One row per imported file. kind = positions (a portfolio snapshot, possibly with marks) or market.
CREATE TABLE imports (
  id             INTEGER PRIMARY KEY,
  portfolio_id   INTEGER REFERENCES portfolios(id) ON DELETE CASCADE,
  kind           TEXT NOT NULL CHECK (kind IN ('positions', 'market')),
  format         TEXT NOT NULL,
  file_name      TEXT NOT NULL,
  sha256         TEXT NOT NULL UNIQUE,
  rows_read      INTEGER NOT NULL,
  rows_imported  INTEGER NOT NULL,
  rows_skipped   INTEGER NOT NULL,
  imported_at    INTEGER NOT NULL,
  CHECK ((kind = 'positions') = (portfolio_id IS NOT NULL))
);

CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY,
  portfolio_id  INTEGER NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
  venue         TEXT NOT NULL,
  name          TEXT NOT NULL,
  UNIQUE (portfolio_id, venue, name)
);

CREATE TABLE instruments (
  id                   INTEGER PRIMARY KEY,
  venue                TEXT NOT NULL,
  name                 TEXT NOT NULL,
  kind                 TEXT NOT NULL CHECK (kind IN ('spot', 'future', 'perpetual', 'option')),
  settlement           TEXT NOT NULL CHECK (settlement IN ('linear', 'inverse')),
  underlying           TEXT NOT NULL,
  quote_currency       TEXT NOT NULL,
  settlement_currency  TEXT NOT NULL,
  contract_size        TEXT NOT NULL,
  contract_size_unit   TEXT NOT NULL CHECK (contract_size_unit IN ('coin', 'usd')),
  quantity_unit        TEXT NOT NULL CHECK (quantity_unit IN ('coin', 'usd')),
  price_unit           TEXT NOT NULL CHECK (price_unit IN ('coin', 'usd')),
  expiry_ms            INTEGER,
  strike               TEXT,
  option_type          TEXT CHECK (option_type IN ('call', 'put')),
  UNIQUE (venue, name)
);

-- Positions per import: a portfolio's current book is, per account, the positions of its latest import.
CREATE TABLE positions (
  id             INTEGER PRIMARY KEY,
  import_id      INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  account_id     INTEGER NOT NULL REFERENCES accounts(id),
  instrument_id  INTEGER NOT NULL REFERENCES instruments(id),
  quantity       TEXT NOT NULL,
  entry_price    TEXT NOT NULL,
  entry_time     INTEGER,
  note           TEXT,
  source_line    INTEGER NOT NULL
);
CREATE INDEX positions_by_import ON positions(import_id, account_id);

CREATE TABLE market_snapshots (
  id         INTEGER PRIMARY KEY,
  import_id  INTEGER NOT NULL UNIQUE REFERENCES imports(id) ON DELETE CASCADE,
  venue      TEXT NOT NULL,
  as_of      INTEGER NOT NULL
);

-- Prices as the venue reported them; venue_* are the venue's own Greeks, in the venue's units.
CREATE TABLE market_quotes (
  snapshot_id       INTEGER NOT NULL REFERENCES market_snapshots(id) ON DELETE CASCADE,
  instrument_id     INTEGER NOT NULL REFERENCES instruments(id),
  ts                INTEGER NOT NULL,
  mark_price        TEXT,
  mark_iv           TEXT,
  underlying_price  TEXT,
  index_price       TEXT,
  venue_delta       REAL,
  venue_gamma       REAL,
  venue_vega        REAL,
  venue_theta       REAL,
  venue_rho         REAL,
  source            TEXT NOT NULL,
  PRIMARY KEY (snapshot_id, instrument_id)
);
CREATE INDEX market_quotes_by_instrument ON market_quotes(instrument_id);

CREATE TABLE index_prices (
  snapshot_id  INTEGER NOT NULL REFERENCES market_snapshots(id) ON DELETE CASCADE,
  underlying   TEXT NOT NULL,
  ts           INTEGER NOT NULL,
  price        TEXT NOT NULL,
  PRIMARY KEY (snapshot_id, underlying)
);

CREATE TABLE stress_runs (
  id              INTEGER PRIMARY KEY,
  portfolio_id    INTEGER NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
  created_at      INTEGER NOT NULL,
  valuation_time  INTEGER,
  params          TEXT NOT NULL,
  result          TEXT NOT NULL,
  worst_pnl_usd   REAL
);
`,
  },
  {
    version: 2,
    name: 'saved scenario sets and stress settings',
    sql: `
-- User-defined scenario sets (a single saved scenario is a set of one). definition: JSON of
-- {name, description, scenarios: Scenario[]} as validated by src/shared/scenario.ts.
CREATE TABLE scenario_sets (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  definition  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

-- Key-value JSON settings of the stress engine (betas, liquidity), overriding the dated defaults in code.
CREATE TABLE stress_settings (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
);
`,
  },
  {
    version: 3,
    name: 'importers: canonical instruments, trade logs (fills, ledger, totals), balances, price history, mappings, import history',
    sql: `
-- Canonical instrument id (ccxt-style unified symbol) and the price currency, backfilled for rows written
-- before this migration from the columns that already say it.
ALTER TABLE instruments ADD COLUMN symbol TEXT NOT NULL DEFAULT '';
ALTER TABLE instruments ADD COLUMN price_currency TEXT NOT NULL DEFAULT '';
UPDATE instruments SET
  price_currency = CASE WHEN price_unit = 'coin' AND kind = 'option' THEN underlying ELSE quote_currency END,
  symbol = underlying || '/' || quote_currency
    || CASE WHEN kind = 'spot' THEN '' ELSE ':' || settlement_currency END
    || CASE WHEN expiry_ms IS NULL THEN '' ELSE '-' || strftime('%y%m%d', expiry_ms / 1000, 'unixepoch') END
    || CASE WHEN kind = 'option' THEN '-' || strike || '-' || CASE option_type WHEN 'call' THEN 'C' ELSE 'P' END ELSE '' END;
CREATE INDEX instruments_by_symbol ON instruments(symbol);

-- Import history: what the file held, how it was read, by whom, with which stated options, and when its
-- data ends. content: positions | trades | balances | market | prices.
ALTER TABLE imports ADD COLUMN content TEXT NOT NULL DEFAULT 'positions';
UPDATE imports SET content = kind;
ALTER TABLE imports ADD COLUMN source_path TEXT;
ALTER TABLE imports ADD COLUMN encoding TEXT;
ALTER TABLE imports ADD COLUMN delimiter TEXT;
ALTER TABLE imports ADD COLUMN options TEXT;
ALTER TABLE imports ADD COLUMN imported_by TEXT;
ALTER TABLE imports ADD COLUMN host TEXT;
ALTER TABLE imports ADD COLUMN as_of INTEGER;
ALTER TABLE imports ADD COLUMN duplicate_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN notes TEXT;
ALTER TABLE imports ADD COLUMN skipped TEXT;
ALTER TABLE imports ADD COLUMN elapsed_ms INTEGER;
-- What landed, as JSON {positions, quotes, fills, ledgerEntries, balances, closes} (fills has no import index:
-- a million-row log inserts faster without one; a log's fills are read back by rowid range).
ALTER TABLE imports ADD COLUMN counts TEXT;
CREATE INDEX imports_by_time ON imports(imported_at);

-- Which accounts an import speaks for (with how many positions), so an account whose latest log is flat
-- has an empty current book instead of keeping older positions. Backfilled from positions.
CREATE TABLE import_accounts (
  import_id   INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  account_id  INTEGER NOT NULL REFERENCES accounts(id),
  positions   INTEGER NOT NULL,
  PRIMARY KEY (import_id, account_id)
);
INSERT INTO import_accounts (import_id, account_id, positions)
  SELECT import_id, account_id, COUNT(*) FROM positions GROUP BY import_id, account_id;

-- Fills of trade logs, as the venue wrote them: quantity signed in the instrument's quantity unit, price in
-- its price unit, fee > 0 paid. fill_key: the venue's row/trade id, or a digest of the row; unique per
-- account so a row imported twice (overlapping exports) is recognised. One import's fills have consecutive
-- rowids (one transaction), so they are read back by rowid range rather than through an index.
CREATE TABLE fills (
  id                  INTEGER PRIMARY KEY,
  import_id           INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  account_id          INTEGER NOT NULL REFERENCES accounts(id),
  instrument_id       INTEGER NOT NULL REFERENCES instruments(id),
  ts                  INTEGER NOT NULL,
  seq                 INTEGER,
  kind                TEXT NOT NULL CHECK (kind IN ('trade', 'delivery', 'liquidation')),
  quantity            TEXT NOT NULL,
  price               TEXT NOT NULL,
  fee                 TEXT,
  fee_currency        TEXT,
  venue_realized_pnl  TEXT,
  venue_realized_ccy  TEXT,
  position_after      TEXT,
  fill_key            TEXT NOT NULL,
  source_line         INTEGER NOT NULL,
  UNIQUE (account_id, fill_key)
);

-- Cash movements of logs that are not fills: funding, settlement, fees, transfers… amount > 0 received
-- (fee > 0 paid).
CREATE TABLE ledger_entries (
  id             INTEGER PRIMARY KEY,
  import_id      INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  account_id     INTEGER NOT NULL REFERENCES accounts(id),
  instrument_id  INTEGER REFERENCES instruments(id),
  ts             INTEGER NOT NULL,
  kind           TEXT NOT NULL,
  amount         TEXT NOT NULL,
  currency       TEXT NOT NULL,
  entry_key      TEXT NOT NULL,
  source_line    INTEGER NOT NULL,
  note           TEXT,
  UNIQUE (account_id, entry_key)
);
CREATE INDEX ledger_entries_by_import ON ledger_entries(import_id);

-- The replay of a log per account and instrument (instrument_id NULL: account-level cash), per measure and
-- currency: realized_pnl, fees, funding, settlement, venue_realized_pnl, cash.
CREATE TABLE trade_totals (
  import_id      INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  account_id     INTEGER NOT NULL REFERENCES accounts(id),
  instrument_id  INTEGER REFERENCES instruments(id),
  measure        TEXT NOT NULL,
  currency       TEXT NOT NULL,
  amount         TEXT NOT NULL
);
CREATE INDEX trade_totals_by_import ON trade_totals(import_id);

-- Balances (collateral) per account and currency: a balances file, or the balance column of a log.
CREATE TABLE balances (
  id           INTEGER PRIMARY KEY,
  import_id    INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  account_id   INTEGER NOT NULL REFERENCES accounts(id),
  currency     TEXT NOT NULL,
  amount       TEXT NOT NULL,
  ts           INTEGER,
  source       TEXT NOT NULL CHECK (source IN ('file', 'log')),
  source_line  INTEGER NOT NULL
);
CREATE INDEX balances_by_import ON balances(import_id, account_id);

-- Price history: closes per underlying, interval and source, for VaR.
CREATE TABLE price_series (
  id              INTEGER PRIMARY KEY,
  import_id       INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  underlying      TEXT NOT NULL,
  quote_currency  TEXT NOT NULL,
  interval        TEXT NOT NULL CHECK (interval IN ('1d', '1h')),
  source          TEXT NOT NULL,
  first_ts        INTEGER NOT NULL,
  last_ts         INTEGER NOT NULL,
  closes          INTEGER NOT NULL,
  gaps            TEXT NOT NULL
);
CREATE INDEX price_series_by_underlying ON price_series(underlying, interval);
CREATE TABLE price_closes (
  series_id  INTEGER NOT NULL REFERENCES price_series(id) ON DELETE CASCADE,
  ts         INTEGER NOT NULL,
  close      TEXT NOT NULL,
  PRIMARY KEY (series_id, ts)
);

-- Saved column mappings for generic CSVs, reusable by name. definition: JSON (src/shared/importApi.ts).
CREATE TABLE column_mappings (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  target      TEXT NOT NULL CHECK (target IN ('positions', 'balances', 'trades')),
  definition  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
`,
  },
  {
    version: 4,
    name: 'import scopes: what part of an account an import speaks for',
    sql: `
-- scope '*': the import is a whole snapshot of the account (generic positions CSV); otherwise a settlement
-- currency (BTC, USDT…): a venue dump or a trade log replaces only the positions settled in it.
CREATE TABLE import_scopes (
  import_id   INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  account_id  INTEGER NOT NULL REFERENCES accounts(id),
  scope       TEXT NOT NULL,
  PRIMARY KEY (import_id, account_id, scope)
);
INSERT INTO import_scopes (import_id, account_id, scope) SELECT import_id, account_id, '*' FROM import_accounts;
`,
  },
  {
    version: 5,
    name: 'margin settings per account and margin currency',
    sql: `
-- What a user sets for one margin account (a venue account's positions settled in one currency): rule or
-- mode override, leverage per account and per position, isolated margins, fee rates, cross-collateral.
-- settings: JSON validated by src/shared/marginApi.ts marginAccountSettings.
CREATE TABLE margin_settings (
  account_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  margin_currency  TEXT NOT NULL,
  settings         TEXT NOT NULL,
  updated_at       INTEGER NOT NULL,
  PRIMARY KEY (account_id, margin_currency)
);
`,
  },
  {
    version: 6,
    name: "the venue's own margin terms and figures per position",
    sql: `
-- Leverage, margin mode, isolated margin, liquidation price, IM and MM as a position snapshot reported
-- them (Binance positionRisk, Bybit, OKX, Deribit, ccxt); JSON validated by src/shared/venueMargin.ts.
ALTER TABLE positions ADD COLUMN venue_margin TEXT;
`,
  },
  {
    version: 7,
    name: "venue tier tables imported from the venues' own responses",
    sql: `
-- Leverage brackets, risk limits and position tiers read from a venue's API response
-- (src/main/importers/tierResponses.ts): market-wide data (the import has no portfolio), one dated entry of a
-- margin table per row. tier_values: JSON in the margin domain's shape, validated again when read
-- (src/main/domain/margin/params/index.ts parseMarginParamsOverride); the latest import wins for a table and day.
CREATE TABLE margin_tier_entries (
  id           INTEGER PRIMARY KEY,
  import_id    INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  venue        TEXT NOT NULL,
  table_id     TEXT NOT NULL,
  as_of        TEXT NOT NULL CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  date_basis   TEXT NOT NULL CHECK (date_basis IN ('recorded', 'imported')),
  sources      TEXT NOT NULL,
  note         TEXT NOT NULL,
  tier_values  TEXT NOT NULL,
  source_line  INTEGER NOT NULL
);
CREATE INDEX margin_tier_entries_table ON margin_tier_entries (table_id, as_of);
`,
  },
  {
    version: 8,
    name: 'import removals (portfolio management) and bid/ask IVs of quotes',
    sql: `
-- What was taken out of the book and when, so the import history never pretends a removed import or
-- position was not there (services/portfolioService.ts). action: import (one import removed), portfolio (a
-- deleted portfolio's imports), positions (positions removed from an import that stays). No foreign keys: the
-- import and the portfolio may be gone. rows: JSON of the rows removed per kind; entry: JSON of the removed
-- import's history record (importHistoryStore.ts ImportHistoryEntry) when the import itself went.
CREATE TABLE import_removals (
  id              INTEGER PRIMARY KEY,
  removed_at      INTEGER NOT NULL,
  action          TEXT NOT NULL CHECK (action IN ('import', 'portfolio', 'positions')),
  import_id       INTEGER NOT NULL,
  portfolio_id    INTEGER,
  portfolio_name  TEXT,
  what            TEXT NOT NULL,
  rows            TEXT NOT NULL,
  entry           TEXT
);
CREATE INDEX import_removals_by_import ON import_removals(import_id);

-- Bid and ask implied vols (vol points) of option quotes, as the venue reported them (Deribit bid_iv/ask_iv;
-- 0 there means no bid/ask and is stored as NULL).
ALTER TABLE market_quotes ADD COLUMN bid_iv TEXT;
ALTER TABLE market_quotes ADD COLUMN ask_iv TEXT;
`,
  },
  {
    version: 9,
    name: 'what-if books and their legs; best bid and ask prices of quotes',
    sql: `
-- A what-if book (issue 13): a named sandbox on a portfolio. Its legs are hypothetical positions valued on top
-- of the portfolio's current book; they never touch the imported positions (services/whatifService.ts).
CREATE TABLE whatif_books (
  id            INTEGER PRIMARY KEY,
  portfolio_id  INTEGER NOT NULL REFERENCES portfolios(id) ON DELETE CASCADE,
  name          TEXT NOT NULL UNIQUE,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

-- One hypothetical trade: an instrument of the market snapshot, signed quantity in the instrument's quantity
-- unit, entry price in its price unit (price_source says where it came from: the user, the bid/ask, the
-- mark), the fee in USD when the account's taker rate is known (fee_source says how), NULL otherwise.
CREATE TABLE whatif_legs (
  id             INTEGER PRIMARY KEY,
  book_id        INTEGER NOT NULL REFERENCES whatif_books(id) ON DELETE CASCADE,
  instrument_id  INTEGER NOT NULL REFERENCES instruments(id),
  venue          TEXT NOT NULL,
  account        TEXT NOT NULL,
  quantity       TEXT NOT NULL,
  entry_price    TEXT NOT NULL,
  price_source   TEXT NOT NULL,
  fee_usd        TEXT,
  fee_source     TEXT NOT NULL,
  created_at     INTEGER NOT NULL
);
CREATE INDEX whatif_legs_by_book ON whatif_legs(book_id);

-- Best bid and ask prices of quotes in the instrument's price unit, as the venue reported them (Deribit
-- best_bid_price / best_ask_price; 0 there means no bid/ask and is stored as NULL).
ALTER TABLE market_quotes ADD COLUMN bid_price TEXT;
ALTER TABLE market_quotes ADD COLUMN ask_price TEXT;
`,
  },
  {
    version: 10,
    name: 'what-if legs in custom options priced off the fitted vol surface',
    sql: `
-- A custom leg (issue 13) is an option whose strike or expiry the venue does not list: it has no row in
-- instruments (imported data is never written by a what-if), so instrument_id becomes optional and the leg
-- carries its own instrument. SQLite cannot drop a NOT NULL in place: the table is rebuilt, rows kept.
--   custom             1 = a custom option priced off the fitted vol surface (services/whatifCustomLeg.ts)
--   custom_instrument  the instrument as the venue's name parses (JSON of shared/instrument.ts Instrument)
--   strike             USD; expiry_ms: ms UTC at the venue's expiry hour; option_type: call | put
--   surface_vol        the surface's implied vol at the strike and expiry when the leg was added, vol points
--   surface_note       which surface (venue, underlying, snapshot, slice or interpolation) gave it
CREATE TABLE whatif_legs_v10 (
  id                 INTEGER PRIMARY KEY,
  book_id            INTEGER NOT NULL REFERENCES whatif_books(id) ON DELETE CASCADE,
  instrument_id      INTEGER REFERENCES instruments(id),
  venue              TEXT NOT NULL,
  account            TEXT NOT NULL,
  quantity           TEXT NOT NULL,
  entry_price        TEXT NOT NULL,
  price_source       TEXT NOT NULL,
  fee_usd            TEXT,
  fee_source         TEXT NOT NULL,
  created_at         INTEGER NOT NULL,
  custom             INTEGER NOT NULL DEFAULT 0 CHECK (custom IN (0, 1)),
  custom_instrument  TEXT,
  strike             REAL,
  expiry_ms          INTEGER,
  option_type        TEXT CHECK (option_type IS NULL OR option_type IN ('call', 'put')),
  surface_vol        REAL,
  surface_note       TEXT,
  CHECK ((custom = 1) = (instrument_id IS NULL)),
  CHECK (custom = 0 OR (custom_instrument IS NOT NULL AND strike > 0 AND expiry_ms IS NOT NULL AND option_type IS NOT NULL AND surface_vol > 0))
);
INSERT INTO whatif_legs_v10 (id, book_id, instrument_id, venue, account, quantity, entry_price, price_source, fee_usd, fee_source, created_at)
  SELECT id, book_id, instrument_id, venue, account, quantity, entry_price, price_source, fee_usd, fee_source, created_at FROM whatif_legs;
DROP TABLE whatif_legs;
ALTER TABLE whatif_legs_v10 RENAME TO whatif_legs;
CREATE INDEX whatif_legs_by_book ON whatif_legs(book_id);
`,
  },
]
