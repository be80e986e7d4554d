// Package cycles in lib (part of `npm run lint`): madge's file graph, collapsed to the folders under lib, must have no
// cycle. madge --circular (beside it in the lint script) finds files importing themselves round a loop; this finds
// folders that import each other, which madge does not see (docs/architecture.md, Layers).
//
// A package is a folder under lib (lib/audit, lib/auth…); a file directly in lib (lib/errors.ts, lib/startup.ts) is a
// package of its own. Tests are left out: a test beside the code may drive it with anything above it.
import madge from "madge";

const isTest = (file) => /\.test\.tsx?$/.test(file);
const packageOf = (file) => {
  const parts = file.split("/");
  if (parts[0] !== "lib") return null;
  return parts.length > 2 ? `lib/${parts[1]}` : file;
};

const graph = (await madge(["lib"], { baseDir: ".", fileExtensions: ["ts", "tsx"], tsConfig: "tsconfig.json" })).obj();

/** package → package → the file imports that make the edge */
const edges = new Map();
for (const [file, imports] of Object.entries(graph)) {
  const from = packageOf(file);
  if (!from || isTest(file)) continue;
  for (const target of imports) {
    const to = packageOf(target);
    if (!to || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    const via = edges.get(from);
    via.set(to, [...(via.get(to) ?? []), `${file} → ${target}`]);
  }
}

// Tarjan's strongly connected components: every component of more than one package is a cycle.
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
let next = 0;
function visit(node) {
  index.set(node, next);
  low.set(node, next);
  next += 1;
  stack.push(node);
  onStack.add(node);
  for (const to of edges.get(node)?.keys() ?? []) {
    if (!index.has(to)) {
      visit(to);
      low.set(node, Math.min(low.get(node), low.get(to)));
    } else if (onStack.has(to)) low.set(node, Math.min(low.get(node), index.get(to)));
  }
  if (low.get(node) !== index.get(node)) return;
  const component = [];
  let member;
  do {
    member = stack.pop();
    onStack.delete(member);
    component.push(member);
  } while (member !== node);
  if (component.length > 1) cycles.push(component.sort());
}
for (const node of edges.keys()) if (!index.has(node)) visit(node);

if (cycles.length === 0) {
  console.log(`package cycles: none among ${new Set([...edges.keys(), ...[...edges.values()].flatMap((via) => [...via.keys()])]).size} packages in lib`);
} else {
  for (const component of cycles) {
    console.error(`package cycle: ${component.join(" ↔ ")}`);
    for (const from of component) {
      for (const [to, files] of edges.get(from) ?? []) {
        if (component.includes(to)) for (const line of files) console.error(`  ${from} → ${to}: ${line}`);
      }
    }
  }
  console.error("Move what both need into the lower package, or the service into the higher one (docs/architecture.md, Layers).");
  process.exitCode = 1;
}
