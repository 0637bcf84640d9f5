// The lesson's part of the page: the leaderboard with names, and each round's price against its
// equilibrium, drawn by uPlot as the market's chart is (the equilibrium dashed, the class's price,
// the book's average or else the auction's clearing price, as points joined by a line). Hidden
// until a round has been played.
import type uPlotType from "uplot";
import type { LessonView } from "../view.js";
import { shortAddress } from "./render.js";

type Data = [number[], Array<number | null>, Array<number | null>];

let plot: uPlotType | undefined;
let scheme = "";
let last: LessonView | undefined;

/** [round numbers, equilibrium prices, the class's prices]: what the chart draws. */
export function lessonData(lesson: LessonView | undefined): Data {
  const rounds = lesson?.rounds ?? [];
  const price = (value?: string) => (value === undefined ? null : Number(value));
  return [rounds.map((_, i) => i + 1), rounds.map((round) => Number(round.equilibrium)), rounds.map((round) => price(round.average ?? round.auction))];
}

function colour(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

function size(): { width: number; height: number } {
  const box = document.getElementById("lesson-plot")!.getBoundingClientRect();
  return { width: Math.max(160, Math.floor(box.width)), height: Math.max(100, Math.floor(box.height)) };
}

function create(data: Data): uPlotType {
  const fg = colour("--fg");
  const grid = colour("--line");
  const font = `${Math.round(parseFloat(getComputedStyle(document.documentElement).fontSize) * 0.8)}px system-ui, sans-serif`;
  const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, font };
  return new uPlot(
    {
      ...size(),
      legend: { show: false },
      cursor: { show: false },
      scales: {
        // Half a round of room each side: one round is a point in the middle, not at an edge.
        x: { time: false, range: (u) => [0.5, Math.max(1, (u.data[0] as number[]).length) + 0.5] },
        y: {
          range: (_u, min, max) => {
            const span = Math.max((max ?? 0) - (min ?? 0), (max ?? 0) * 0.2, 0.0002);
            return [Math.max(0, (min ?? 0) - span / 2), (max ?? 1) + span / 2];
          },
        },
      },
      axes: [
        { ...axis, size: 40, space: 40, incrs: [1], values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? `R${t}` : "")) },
        { ...axis, size: 84, values: (_u, ticks) => ticks.map((t) => t.toFixed(4)) },
      ],
      series: [
        {},
        { label: "equilibrium", stroke: colour("--lot"), width: 3, dash: [10, 8], points: { show: true, size: 7, fill: colour("--lot") } },
        { label: "the class's price", stroke: colour("--fill"), width: 3, spanGaps: true, points: { show: true, size: 11, fill: colour("--fill") } },
      ],
    },
    data,
    document.getElementById("lesson-plot")!,
  );
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text: string, className?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

export function drawLesson(lesson: LessonView | undefined): void {
  last = lesson;
  const section = document.getElementById("lesson")!;
  section.hidden = !lesson;
  document.body.classList.toggle("lesson", Boolean(lesson));
  if (!lesson) return;
  const round = lesson.rounds[lesson.rounds.length - 1];
  const efficiency = round.efficiency === undefined ? "" : ` · efficiency ${(round.efficiency * 100).toFixed(1)}%`;
  document.getElementById("lesson-facts")!.textContent = `· ${round.label} · equilibrium ${round.equilibrium}${efficiency} · ${lesson.firms} firms`;
  document.querySelector("#leaders tbody")!.replaceChildren(
    ...lesson.leaders.map((leader) => {
      const row = document.createElement("tr");
      row.append(el("td", String(leader.rank), "num"), el("td", leader.name || shortAddress(leader.account)), el("td", leader.total, "num"));
      return row;
    }),
  );
  const now = matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  if (plot && now !== scheme) {
    plot.destroy();
    plot = undefined;
  }
  scheme = now;
  const data = lessonData(lesson);
  if (!plot) plot = create(data);
  else plot.setData(data, true);
}

window.addEventListener("resize", () => plot?.setSize(size()));
matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => drawLesson(last));
(window as unknown as { projectorLesson: unknown }).projectorLesson = { data: () => lessonData(last) };
