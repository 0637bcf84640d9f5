// A line of the session, on stdout where the prompts draw (setPromptOutput).
export function say(text: string): void {
  process.stdout.write(text + "\n");
}
