/**
 * OKX's own position-tiers response (core/tierSupport.ts: dating and validation shared by every tier response):
 *
 *  - okx-position-tiers: GET /api/v5/public/position-tiers `{code, data: [{instFamily|uly, tier, minSz, maxSz,
 *    mmr, imr, maxLever}]}` for SWAP/FUTURES: sizes in contracts; the contract value comes from the contract
 *    spec table (docs/importers.md "Contract specifications"; refused when unknown). → `okx.swap.tiers.<family>-SWAP`.
 *    https://www.okx.com/docs-v5/en/#public-data-rest-api-get-position-tiers

 */
import Decimal from 'decimal.js'
import { findContractSpec } from '../../../domain/instruments/contractSpecs'
import type { OkxTierValues } from '../../../domain/margin/params/brackets'
import { MarginParamsError } from '../../../domain/margin/params/datedTable'
import type { FormatContext, JsonFormat } from '../../core/formatTypes'
import { type JsonDocument } from '../../core/jsonDocument'
import { arrayAt, elements } from '../../core/jsonRows'
import { decimalText, emit, importDay, isObj, positiveNumber } from '../../core/tierSupport'

function detectOkx(v: unknown): boolean {
  if (!isObj(v) || !Array.isArray(v.data) || v.data.length === 0) return false
  return v.data.every((r) => isObj(r) && 'maxSz' in r && 'mmr' in r && 'imr' in r && 'tier' in r && ('instFamily' in r || 'uly' in r))
}

function readOkx(doc: JsonDocument, ctx: FormatContext): number {
  const arr = arrayAt(doc, ['data'])!
  const { asOf, note } = importDay(ctx)
  const byFamily = new Map<string, Array<{ line: number; tier: number; minSz: string; maxSz: string; mmr: string; imr: string; lev: number }>>()
  const els = elements(ctx, doc, arr)
  for (const e of els) {
    const family = e.str('instFamily', { optional: true }) || e.str('uly', { pattern: /^[A-Z0-9]+-[A-Z0-9]+$/, expected: 'an instrument family such as BTC-USDT' })
    const tier = e.raw('tier')
    const minSz = decimalText(e, 'minSz')
    const maxSz = decimalText(e, 'maxSz')
    const mmr = decimalText(e, 'mmr')
    const imr = decimalText(e, 'imr')
    const lev = positiveNumber(e, 'maxLever')
    if (tier === undefined || !/^[1-9]\d*$/.test(tier)) e.issue('tier', tier, 'expected the tier number 1, 2, …')
    if (e.failed || !family || !minSz || !maxSz || !mmr || !imr || lev === undefined) continue
    if (!/^[A-Z0-9]+-[A-Z0-9]+$/.test(family)) {
      e.issue('instFamily', family, 'expected an instrument family such as BTC-USDT')
      continue
    }
    const list = byFamily.get(family) ?? []
    list.push({ line: e.line, tier: Number(tier), minSz, maxSz, mmr, imr, lev })
    byFamily.set(family, list)
  }
  for (const [family, list] of byFamily) {
    list.sort((a, b) => a.tier - b.tier)
    const instrument = `${family}-SWAP`
    const first = list[0]!
    const where = `${ctx.file} line ${first.line} ${family}`
    const spec = findContractSpec(ctx.options.specs, 'okx', instrument, 'perpetual')
    if (!spec) {
      ctx.sink.issue({
        file: ctx.file,
        line: first.line,
        column: 'instFamily',
        value: family,
        message: `OKX sizes tiers in contracts and the value of one ${instrument} contract is not in the contract-spec table (${ctx.options.specs.origins.join(', ')}): add it (docs/importers.md, "Contract specifications") and import again`,
      })
      continue
    }
    const values: OkxTierValues = {
      contractValueCoin: spec.contractSize,
      contractValueUnit: spec.unit === 'usd' ? 'usd' : 'coin',
      explicit: list.map((r) => ({ maxContracts: r.maxSz, mmr: r.mmr, minImr: r.imr, maxLeverage: r.lev })),
      stepContracts: '0',
      mmrStep: '0',
      imrStep: '0',
      generatedTiers: 0,
    }
    emit(
      ctx,
      {
        venue: 'okx',
        tableId: `okx.swap.tiers.${instrument}`,
        asOf,
        dateBasis: 'imported',
        sources: [`${ctx.options.fileName}: OKX GET /api/v5/public/position-tiers response (${family})`, `contract value: ${spec.source}`],
        note: `${note} Every tier the response lists is stored; none is generated beyond tier ${list.at(-1)!.tier}. Contract value ${spec.contractSize} ${spec.unit} from the contract-spec table.`,
        values,
        line: first.line,
      },
      () => {
        list.forEach((r, i) => {
          const at = `${where}: tier ${r.tier}`
          if (r.tier !== i + 1) throw new MarginParamsError(`${at}: tiers must run 1, 2, 3… without gaps (found tier ${r.tier} in place ${i + 1})`)
          for (const [k, x] of [['mmr', r.mmr], ['imr', r.imr]] as const)
            if (new Decimal(x).gt(1)) throw new MarginParamsError(`${at}: ${k} ${x} outside [0, 1]`)
          if (!new Decimal(r.maxSz).gt(r.minSz)) throw new MarginParamsError(`${at}: maxSz ${r.maxSz} ≤ minSz ${r.minSz}`)
          if (i > 0) {
            const prev = list[i - 1]!
            if (new Decimal(r.minSz).lt(prev.maxSz)) throw new MarginParamsError(`${at}: minSz ${r.minSz} overlaps the previous tier (maxSz ${prev.maxSz})`)
            if (new Decimal(r.minSz).gt(new Decimal(prev.maxSz).plus(1)))
              throw new MarginParamsError(`${at}: minSz ${r.minSz} leaves a gap after the previous tier (maxSz ${prev.maxSz})`)
            if (new Decimal(r.mmr).lt(prev.mmr)) throw new MarginParamsError(`${at}: mmr ${r.mmr} below the previous tier's ${prev.mmr}`)
          } else if (!new Decimal(r.minSz).isZero()) throw new MarginParamsError(`${at}: tier 1 must start at minSz 0, found ${r.minSz}`)
        })
        return []
      },
    )
  }
  return els.length
}

export const okxPositionTiersFormat: JsonFormat = {
  type: 'json',
  id: 'okx-position-tiers',
  description: 'OKX GET /api/v5/public/position-tiers (SWAP/FUTURES): position tiers in contracts per instrument family',
  content: 'tiers',
  venue: 'okx',
  detect: detectOkx,
  read: readOkx,
}

