/**
 * Times as the venues write them → UTC instants (ms since epoch). Parsing is date-fns `parse` with the
 * venue's documented pattern, in UTC (@date-fns/utc), shifted by a fixed UTC offset that the file or the
 * user states; an offset that nobody states is never assumed.
 *
 * Speed: a log of a million rows repeats few dates and at most 86,400 times of day, so the date part and
 * the time part (split at the first space) are each parsed once by date-fns and remembered. This is exact
 * for fixed offsets (the only kind accepted), which have no daylight-saving jumps inside a day. The most
 * common time part, `HH:mm:ss` written with two digits each, is read by its digits (date-fns takes ~6 µs a
 * parse, and a log has tens of thousands of distinct times); anything else in that field goes to date-fns.
 *
 * Two-digit years (`yy`, Deribit's DD/MM/YY and Binance's YY-MM-DD) are read by date-fns in the century
 * closest to the reference year (the import's clock); instants before 2009 (before any crypto venue) or
 * more than a day after the import are refused.
 */
import { UTCDate } from '@date-fns/utc'
// date-fns by function (not its index of ~250 modules, slow to load in the import thread).
import { isValid } from 'date-fns/isValid'
import { parse } from 'date-fns/parse'
import { parseISO } from 'date-fns/parseISO'

/** Minutes east of UTC. */
export type UtcOffsetMinutes = number

/**
 * Reads a fixed UTC offset: `Z`, `UTC`, `+08:00`, `-0600`, `UTC+8`, `UTC-6`, `UTC--6` (Binance's file
 * names write the sign after a dash), `GMT+8`. Returns minutes east of UTC, or null when not an offset.
 */
export function parseUtcOffset(text: string): UtcOffsetMinutes | null {
  const t = text.trim().toUpperCase()
  if (t === 'Z' || t === 'UTC' || t === 'GMT' || t === 'UTC+0' || t === 'UTC-0') return 0
  const m = /^(?:(?:UTC|GMT)-?)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(t)
  if (!m) return null
  const hours = Number(m[2])
  const minutes = m[3] === undefined ? 0 : Number(m[3])
  if (hours > 14 || minutes > 59) return null
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes)
}

/** `+08:00` style text of an offset. */
export function formatUtcOffset(minutes: UtcOffsetMinutes): string {
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

export interface DateTimeParser {
  /** The instant, or null when the text does not fit the pattern or is out of range. */
  (text: string): number | null
  pattern: string
  offsetMinutes: UtcOffsetMinutes
}

const EARLIEST = Date.UTC(2009, 0, 1)

/**
 * A parser for one date-fns pattern (e.g. `dd/MM/yy HH:mm:ss`, `yy-MM-dd HH:mm:ss`,
 * `M/d/yyyy, h:mm:ss a`) in a fixed UTC offset.
 * @param now the import's clock (reference for two-digit years, upper bound of accepted instants)
 */
export function dateTimeParser(pattern: string, offsetMinutes: UtcOffsetMinutes, now: number): DateTimeParser {
  const ref = new UTCDate(now)
  const split = pattern.indexOf(' ')
  const datePattern = split < 0 ? pattern : pattern.slice(0, split)
  const timePattern = split < 0 ? null : pattern.slice(split + 1)
  const dates = new Map<string, number | null>()
  const times = new Map<string, number | null>()
  const dayStart = new UTCDate(Date.UTC(1970, 0, 1))
  const latest = now + 86_400_000
  // Logs run in time order: most rows repeat the previous row's date.
  let lastDateText = ''
  let lastDate: number | null = null
  const fn = ((text: string): number | null => {
    const sp = timePattern === null ? -1 : text.indexOf(' ')
    if (timePattern !== null && sp < 0) return null
    const dText = sp < 0 ? text : text.slice(0, sp)
    let d = dText === lastDateText ? lastDate : dates.get(dText)
    if (d === undefined) {
      const parsed = parse(dText, datePattern, ref)
      d = isValid(parsed) ? parsed.getTime() : null
      if (dates.size > 100_000) dates.clear()
      dates.set(dText, d)
    }
    lastDateText = dText
    lastDate = d
    if (d === null) return null
    let t = 0
    if (timePattern !== null) {
      const fast = timePattern === 'HH:mm:ss' ? hhmmss(text, sp + 1) : undefined
      if (fast !== undefined) t = fast
      else {
        const tText = text.slice(sp + 1)
        let cached = times.get(tText)
        if (cached === undefined) {
          const parsed = parse(tText, timePattern, dayStart)
          cached = isValid(parsed) ? parsed.getTime() : null
          if (times.size > 200_000) times.clear()
          times.set(tText, cached)
        }
        if (cached === null) return null
        t = cached
      }
    }
    const ms = d + t - offsetMinutes * 60_000
    return ms < EARLIEST || ms > latest ? null : ms
  }) as DateTimeParser
  fn.pattern = pattern
  fn.offsetMinutes = offsetMinutes
  return fn
}

/**
 * ms since midnight of `HH:mm:ss` at `from` when the rest of `text` is exactly two digits, a colon, two
 * digits, a colon and two digits within 00–23, 00–59, 00–59; undefined for anything else (date-fns decides).
 */
function hhmmss(text: string, from: number): number | undefined {
  if (text.length - from !== 8 || text.charCodeAt(from + 2) !== 58 || text.charCodeAt(from + 5) !== 58) return undefined
  const h = twoDigits(text, from)
  const m = twoDigits(text, from + 3)
  const sec = twoDigits(text, from + 6)
  if (!(h <= 23 && m <= 59 && sec <= 59)) return undefined
  return ((h * 60 + m) * 60 + sec) * 1000
}

/** The number written by the two characters at `i`, NaN unless both are digits. */
function twoDigits(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48
  const b = text.charCodeAt(i + 1) - 48
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN
}

const ISO_WITH_ZONE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/

/**
 * An instant written with its own zone: ISO-8601 with `Z`/offset, or a Unix time in ms (13 digits) or
 * seconds (10 digits). Returns null otherwise (a time without zone is never guessed).
 */
export function parseZonedInstant(text: string): number | null {
  if (/^\d{13}$/.test(text)) return Number(text)
  if (/^\d{10}$/.test(text)) return Number(text) * 1000
  if (ISO_WITH_ZONE_RE.test(text)) {
    // date-fns parseISO refuses dates that do not exist (2020-02-30); Date.parse would roll them over.
    const ms = parseISO(text).getTime()
    return Number.isNaN(ms) ? null : ms
  }
  return null
}
