// The session's one list prompt (menus, accounts, lots), built on @inquirer/core because inquirer's
// own select numbers choices by position: in a list of customers 1, 3 and 5, typing 3 chose the third
// line, account 5. Here a choice may carry its own `key` (the index printed beside it), typed digits
// select the choice with that key, a header (a table's column names, a balance) stays above the page
// while the cursor pages through a long list, the cursor wraps from the last choice to the first,
// and Esc answers `back`. A `filterable` list (the accounts) takes typed text as a filter instead: the
// choices whose text holds it stay (paging, "paste", Back always do), a choice whose key is the text
// gets the cursor, and `onSearch` adds an entry that hands the text back to search beyond the page.
import { stripVTControlCharacters } from "node:util";
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
  /** Kept in view whatever the filter: paging, "paste an address", Back. */
  fixed?: boolean;
}

export interface ListConfig<T> {
  message: string;
  choices: Array<ListChoice<T>>;
  /** Lines kept above the choices while they page. */
  header?: string;
  pageSize: number;
  /** Typed text filters the choices (digits too: a key typed whole still selects its choice). */
  filterable?: boolean;
  /** With a filter typed, an entry to search the whole list for it; its value is what this returns. */
  onSearch?: (text: string) => T;
  /** Where the cursor starts: the choice with this value. */
  initial?: T;
}

/** What Esc answers. */
export const BACK = Symbol("back");

const selectable = (choice: ListChoice<unknown>) => !choice.disabled;

/** The choices a filter leaves: those holding the text (case aside), the search entry, the fixed ones. */
function visibleChoices<T>(config: ListConfig<T>, filter: string): Array<ListChoice<T>> {
  if (!filter) return config.choices;
  const wanted = filter.toLowerCase();
  const matching = config.choices.filter((choice) => !choice.fixed && (choice.key === filter || stripVTControlCharacters(choice.name).toLowerCase().includes(wanted)));
  const search = config.onSearch ? [{ name: `Search the whole list for "${filter}" ›`, value: config.onSearch(filter), fixed: true }] : [];
  return [...matching, ...search, ...config.choices.filter((choice) => choice.fixed)];
}

/** Where the cursor goes in `choices`: the choice keyed `typed`, else the first selectable one. */
function cursorFor<T>(choices: Array<ListChoice<T>>, typed: string): number {
  const keyed = choices.findIndex((choice) => choice.key === typed && selectable(choice));
  if (keyed >= 0) return keyed;
  const first = choices.findIndex(selectable);
  return first < 0 ? 0 : first;
}

/** A key that types a character into the filter: a printable one, not a control key. */
function typedCharacter(key: { name?: string; sequence?: string; ctrl?: boolean; meta?: boolean }): string | undefined {
  const sequence = key.sequence ?? "";
  return !key.ctrl && !key.meta && sequence.length === 1 && sequence >= " " && sequence <= "~" ? sequence : undefined;
}

export const listPrompt = createPrompt(<T>(config: ListConfig<T>, done: (value: T | typeof BACK) => void): string => {
  const theme = makeTheme<Theme>({});
  // "left": Esc. It draws no ✔ and no entry, so a projector never shows an action nobody chose.
  const [status, setStatus] = useState<"idle" | "done" | "left">("idle");
  const prefix = usePrefix({ status: status === "left" ? "idle" : status, theme });
  const [filter, setFilter] = useState("");
  const choices = visibleChoices(config, filter);
  const initial = config.initial === undefined ? -1 : choices.findIndex((choice) => choice.value === config.initial && selectable(choice));
  const first = choices.findIndex(selectable);
  const [active, setActive] = useState(initial >= 0 ? initial : first < 0 ? 0 : first);
  const typed = useRef("");
  const clearTyped = useRef<NodeJS.Timeout | undefined>(undefined);

  const refilter = (text: string) => {
    setFilter(text);
    setActive(cursorFor(visibleChoices(config, text), text));
  };

  useKeypress((key, rl) => {
    clearTimeout(clearTyped.current);
    if (isEnterKey(key)) {
      if (!choices[active] || !selectable(choices[active])) return;
      setStatus("done");
      done(choices[active].value);
    } else if (key.name === "escape") {
      // With a filter typed, Esc clears it; only an unfiltered list goes back.
      if (config.filterable && filter) return refilter("");
      setStatus("left");
      done(BACK);
    } else if (isUpKey(key) || isDownKey(key)) {
      rl.clearLine(0);
      const step = isUpKey(key) ? -1 : 1;
      let next = active;
      do next = (next + step + choices.length) % choices.length;
      while (!selectable(choices[next]) && next !== active);
      setActive(next);
    } else if (config.filterable && isBackspaceKey(key)) {
      rl.clearLine(0);
      refilter(filter.slice(0, -1));
    } else if (config.filterable && typedCharacter(key) !== undefined && (filter || typedCharacter(key) !== " ")) {
      rl.clearLine(0);
      refilter(filter + typedCharacter(key));
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

  const message = theme.style.message(config.message, status === "left" ? "idle" : status);
  if (status === "left") return [theme.style.help("←"), theme.style.message(config.message, "idle"), theme.style.help("back")].join(" ");
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
  const typing = config.filterable ? (filter ? ` · filter: ${filter}` : " · type to filter") : choices.some((c) => c.key) ? " · type a number" : "";
  const help = theme.style.help(`↑↓ move${typing} · ⏎ select · esc ${config.filterable && filter ? "clear" : "back"}`);
  return [[prefix, message].join(" "), ...(config.header ? [config.header] : []), page, help].join("\n");
});
