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
]
