/**
 * Hyperliquid `spotClearinghouseState` (POST /info `{"type":"spotClearinghouseState","user":…}`): the spot
 * wallet's balances, `{balances: [{coin, token, total, hold, entryNtl}]}` (Hyperliquid docs, "Info endpoint →
 * Spot → Retrieve a user's token balances"). Spot holdings (HYPE, PURR, USDC…) are balances, never positions:
 * each `total` (including `hold`, the part reserved by open orders) is stored as the balance of its coin.
 *
 * Hyperliquid keeps the spot wallet apart from the perpetuals' margin (outside unified/portfolio-margin
 * accounts), so the balances go to the account `<account>-spot` (default `main-spot`): they neither replace nor
 * count as the perpetuals' USDC collateral from a clearinghouseState. Outcome tokens (`+100`, `o458`: HIP-4
 * prediction-market positions, no `token` index) are not currencies Riskdesk can value: skipped and counted.
 * The response has no time: the instant is `--snapshot-time`, else the import's time (said in the notes).
 */
import type { Node } from 'jsonc-parser'
import type { FormatContext, JsonFormat } from '../../core/formatTypes'
import type { JsonDocument } from '../../core/jsonDocument'
import { arrayAt, JsonElement } from '../../core/jsonRows'

const VENUE = 'hyperliquid'

function isSpotState(v: unknown): boolean {
  const o = v as { balances?: unknown } | null
  const first = Array.isArray(o?.balances) ? (o!.balances as unknown[])[0] : undefined
  return !!first && typeof first === 'object' && 'coin' in (first as object) && 'total' in (first as object) && !('assetPositions' in (o as object))
}

function read(doc: JsonDocument, ctx: FormatContext): number {
  const arr = arrayAt(doc, ['balances'])!
  const account = `${ctx.options.account ?? 'main'}-spot`
  const ts = ctx.options.snapshotTime ?? ctx.options.receivedAt
  ctx.sink.note(
    `spot balances stored under the account ${account} (Hyperliquid's spot wallet, apart from the perpetuals' margin); as of ${new Date(ts).toISOString()} (${ctx.options.snapshotTime !== undefined ? 'the snapshot time given' : 'the import time: the response has none'})`,
  )
  for (const node of arr.children ?? []) {
    const e = new JsonElement(ctx, doc, node as Node)
    const coin = e.str('coin')
    const total = e.dec('total', { nonNegative: true })
    const hold = e.dec('hold', { optional: true, nonNegative: true })
    if (e.failed || !coin || !total || hold === undefined) continue
    if (!/^[A-Z][A-Z0-9]{1,11}$/.test(coin)) {
      ctx.sink.skip({ line: e.line, reason: `${coin}: an outcome token or unnamed asset, not a currency Riskdesk values` })
      continue
    }
    if (hold && hold.gt(total)) {
      e.issue('hold', hold.toFixed(), `more than the total ${total.toFixed()}`)
      continue
    }
    ctx.sink.balance({ venue: VENUE, account, currency: coin, amount: total.toFixed(), ts, source: 'file', line: e.line })
  }
  return arr.children?.length ?? 0
}

export const hyperliquidSpotStateFormat: JsonFormat = {
  type: 'json', id: 'hyperliquid-spot-clearinghouse-state', content: 'positions', venue: VENUE, detect: isSpotState, read,
  description: 'Hyperliquid info spotClearinghouseState JSON: spot wallet balances (account <account>-spot), outcome tokens skipped',
}
