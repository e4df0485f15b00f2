/**
 * Bounds the running time of every regular expression in this process, including those from a
 * user's prh dictionary: when a match backtracks excessively (nested or adjacent quantifiers such
 * as (a+)+$ or a*a*a*c on a long line), V8 re-runs it on its linear-time engine instead of
 * freezing the server. Expressions that engine cannot run (lookarounds, back-references) are
 * still screened statically when a dictionary is loaded (prh.ts catastrophic()) and are matched
 * in bounded windows (dictionary-rules.ts). Imported first by the server and the CLI.
 */
import { setFlagsFromString } from 'node:v8';

try {
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
} catch {
  /* an engine without the flag: the static screening and the windows still apply */
}
