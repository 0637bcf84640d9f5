// The hidden-line prompt: inquirer's password prompt, except that a refused answer leaves the field
// empty. Inquirer writes the refused text back for the user to fix, which works for text one can see;
// behind a mask nobody can fix it, and the next attempt was typed after the old characters.
import { createPrompt, isEnterKey, makeTheme, useKeypress, usePrefix, useState, type Theme } from "@inquirer/core";

interface PasswordConfig {
  message: string;
  mask?: string;
  validate?: (value: string) => boolean | string | Promise<boolean | string>;
}

export const passwordPrompt = createPrompt((config: PasswordConfig, done: (value: string) => void): [string, string] => {
  const theme = makeTheme<Theme>({});
  const [status, setStatus] = useState<"idle" | "loading" | "done">("idle");
  const [error, setError] = useState<string | undefined>(undefined);
  const [value, setValue] = useState("");
  const prefix = usePrefix({ status, theme });

  useKeypress(async (key, rl) => {
    if (status !== "idle") return;
    if (isEnterKey(key)) {
      const answer = value;
      setStatus("loading");
      const verdict = config.validate ? await config.validate(answer) : true;
      if (verdict === true) {
        setStatus("done");
        done(answer);
        return;
      }
      // readline has already emptied its line on Enter: the field starts afresh.
      setValue("");
      setError(verdict || "You must provide a valid value");
      setStatus("idle");
    } else {
      setValue(rl.line);
      setError(undefined);
    }
  });

  const masked = (config.mask ?? "*").repeat(value.length);
  const shown = status === "done" ? theme.style.answer(masked) : masked;
  return [[prefix, theme.style.message(config.message, status), shown].join(" "), error ? theme.style.error(error) : ""];
});
