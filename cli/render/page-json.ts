// Where a page of a list sits, as the JSON fields every paged list carries (the text form is
// commands/paging.ts pageLine, on stderr).
import type { PageInfo } from "../commands/paging";

/** Where a page sits: offset, count, total, and the next page's cursor or offset. */
export function pageJson(page: PageInfo | undefined): Record<string, unknown> {
  // A whole list needs no page fields: they appear when there is more, or this is not the start.
  if (!page || (page.offset === 0 && !page.next)) return {};
  return { offset: page.offset, count: page.count, ...(page.total === undefined ? {} : { total: page.total }), ...(page.next ? { next: page.next.replace(/^--\S+ /, "") } : {}) };
}
