// Runs a product process to its end and keeps what it printed: what CLI and start-up tests assert on.
import { spawn } from "node:child_process";
import { PROJECT_ROOT } from "../../cli/chain/home";

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to standard input, which is then closed (end of input, as from a pipe). */
  input?: string;
  timeoutMs?: number;
}

/** Runs `node <script> <args>` in the project root; rejects if it has not finished in time. */
export function runNode(script: string, args: string[], env: NodeJS.ProcessEnv, options: RunOptions = {}): Promise<Ran> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: PROJECT_ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} ${args.join(" ")} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}
