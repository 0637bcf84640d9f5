// The import graph of a source tree, read with the TypeScript compiler's parser (no type checking):
// which of its own files each file loads, and the circles in it. Every way one module reaches
// another counts, because each is a dependency a reader must follow: `import` and `export … from`
// (`import type` too), `require("./x")` (the CLI's lazy loads), `import("./x")`, and the type
// `typeof import("./x")`. Only relative specifiers are followed; packages are not part of the tree.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

/** Each file (relative to the root) and the files it imports, in source order, without repeats. */
export type ImportGraph = Map<string, string[]>;

/** The relative module specifiers in `source`, in source order. */
export function importedSpecifiers(source: string, fileName = "source.ts"): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require"))) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteral(first)) found.push(first.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) found.push(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true));
  return found.filter((specifier) => specifier.startsWith("."));
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

export function importGraph(root: string): ImportGraph {
  const files = sourceFiles(root);
  const known = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const targets = importedSpecifiers(fs.readFileSync(file, "utf8"), file).flatMap((specifier) => {
      const base = path.join(path.dirname(file), specifier).replace(/\.js$/, "");
      const target = [`${base}.ts`, path.join(base, "index.ts")].find((candidate) => known.has(candidate));
      return target ? [path.relative(root, target)] : [];
    });
    graph.set(path.relative(root, file), [...new Set(targets)]);
  }
  return graph;
}

/** Each circle as the files along it, back to the first (`a.ts → b.ts → a.ts`): one per strongly connected group. */
export function circles(graph: ImportGraph): string[] {
  // Tarjan's strongly connected components; a group of two or more files, or a file importing itself, is a circle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const connect = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || (graph.get(file) ?? []).includes(file)) groups.push(group);
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) connect(file);
  return groups.map((group) => {
    const members = new Set(group);
    const start = [...group].sort()[0];
    // The shortest way back to the start inside the group, found breadth first.
    const previous = new Map<string, string>();
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      for (const next of graph.get(queue[i]) ?? []) {
        if (!members.has(next)) continue;
        if (next === start) {
          const path = [start];
          for (let at = queue[i]; at !== start; at = previous.get(at)!) path.splice(1, 0, at);
          return [...path, start].join(" → ");
        }
        if (!previous.has(next)) {
          previous.set(next, queue[i]);
          queue.push(next);
        }
      }
    }
    return group.join(" → ");
  });
}
