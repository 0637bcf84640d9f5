// Reading a Truffle artifact (build/contracts/*.json) while another process may be rewriting it.
// `truffle migrate` rewrites every artifact in place (not by rename) to record its network, so a
// reader that runs beside a migration (`npm run migrate` in one terminal, `carbon` in another) can
// catch a file half-written. Such a read is retried for a moment instead of reported as broken.
import fs from "node:fs";

const RETRIES = 40;
const PAUSE_MS = 50;

/** Parses the JSON in `file`; a missing file throws as fs does, and a half-written one is read again. */
export function readArtifactJson<T>(file: string): T {
  for (let attempt = 0; ; attempt++) {
    const text = fs.readFileSync(file, "utf8");
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      if (attempt >= RETRIES) throw error;
      // A synchronous pause: the callers are synchronous, and this happens only beside a migration.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, PAUSE_MS);
    }
  }
}
