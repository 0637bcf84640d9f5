// The session's one list prompt (menus, accounts, lots), built on @inquirer/core because inquirer's
// own select numbers choices by position: in a list of customers 1, 3 and 5, typing 3 chose the third
// line, account 5. Here a choice may carry its own `key` (the index printed beside it), typed digits
// select the choice with that key, a header (a table's column names, a balance) stays above the page
// while the cursor pages through a long list, the cursor wraps from the last choice to the first,
// and Esc answers `back`.
import {
  createPrompt,
  isBackspaceKey,
  isDownKey,
  isEnterKey,
  isNumberKey,
  isUpKey,
  makeTheme,
  useEffect,
  useKeypress,
  usePagination,
  usePrefix,
  useRef,
  useState,
  type Theme,
} from "@inquirer/core";

export interface ListChoice<T> {
  name: string;
  value: T;
  /** What typing selects it: the number printed beside it. Menus use their position, 1 to 9. */
  key?: string;
  /** Shown dimmed and not selectable; a string says why. */
  disabled?: boolean | string;
}

export interface ListConfig<T> {
  message: string;
  choices: Array<ListChoice<T>>;
  /** Lines kept above the choices while they page. */
  header?: string;
  pageSize: number;
}

/** What Esc answers. */
export const BACK = Symbol("back");

const selectable = (choice: ListChoice<unknown>) => !choice.disabled;

export const listPrompt = createPrompt(<T>(config: ListConfig<T>, done: (value: T | typeof BACK) => void): string => {
  const theme = makeTheme<Theme>({});
  const [status, setStatus] = useState<"idle" | "done">("idle");
  const prefix = usePrefix({ status, theme });
  const { choices } = config;
  const first = choices.findIndex(selectable);
  const [active, setActive] = useState(first < 0 ? 0 : first);
  const typed = useRef("");
  const clearTyped = useRef<NodeJS.Timeout | undefined>(undefined);

  useKeypress((key, rl) => {
    clearTimeout(clearTyped.current);
    if (isEnterKey(key)) {
      if (!selectable(choices[active])) return;
      setStatus("done");
      done(choices[active].value);
    } else if (key.name === "escape") {
      setStatus("done");
      done(BACK);
    } else if (isUpKey(key) || isDownKey(key)) {
      rl.clearLine(0);
      const step = isUpKey(key) ? -1 : 1;
      let next = active;
      do next = (next + step + choices.length) % choices.length;
      while (!selectable(choices[next]) && next !== active);
      setActive(next);
    } else if (isNumberKey(key)) {
      typed.current = (typed.current + key.name).slice(-6);
      rl.clearLine(0);
      // "1" then "2" within a moment is 12; a key that matches nothing on its own starts afresh.
      const match = (text: string) => choices.findIndex((choice) => choice.key === text && selectable(choice));
      let found = match(typed.current);
      if (found < 0) {
        typed.current = key.name;
        found = match(typed.current);
      }
      if (found >= 0) setActive(found);
      clearTyped.current = setTimeout(() => (typed.current = ""), 800);
    } else if (isBackspaceKey(key)) {
      rl.clearLine(0);
      typed.current = "";
    }
  });
  useEffect(() => () => clearTimeout(clearTyped.current), []);

  const message = theme.style.message(config.message, status);
  if (status === "done") return [prefix, message, theme.style.answer(choices[active]?.name.split("\n")[0].trim() ?? "")].join(" ");
  const page = usePagination({
    items: choices,
    active,
    pageSize: config.pageSize,
    loop: false,
    renderItem({ item, isActive }) {
      if (item.disabled) return theme.style.help(`  ${item.name}${typeof item.disabled === "string" ? `  ${item.disabled}` : ""}`);
      return isActive ? theme.style.highlight(`❯ ${item.name}`) : `  ${item.name}`;
    },
  });
  const help = theme.style.help(`↑↓ move${choices.some((c) => c.key) ? " · type a number" : ""} · ⏎ select · esc back`);
  return [[prefix, message].join(" "), ...(config.header ? [config.header] : []), page, help].join("\n");
});
