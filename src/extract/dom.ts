/**
 * The extraction DOM: one plain object shape for every node, and the css-select adapter over it.
 *
 * Why not domhandler: its nodes are classes with field initializers three levels deep
 * (Node -> NodeWithChildren -> Element), which this V8 constructs slowly (a crawl profile put
 * 23% of CPU there), and they carry fields nothing here reads (startIndex, endIndex, next). Every node made by `makeNode` has the same
 * seven properties assigned in the same order, so all nodes share one hidden class and every
 * property access in the selectors and text walkers stays monomorphic.
 *
 * Only elements, text and the root are built: comments, doctypes and processing instructions
 * are never read by a selector, a text getter or the link collector, so they are not made.
 */
import type { Options } from "css-select";
import type { AttribList } from "./page-parser.js";

/** "script" and "style" are elements with their own type (as in domhandler), so text walkers can skip them cheaply. */
export type NodeType = "root" | "tag" | "script" | "style" | "text";

export interface DomNode {
  readonly type: NodeType;
  /** Lowercased tag name; "" for text and the root. */
  readonly name: string;
  /** [name, value, name, value, ...] in source order (see page-parser.ts); read with attrValue. */
  readonly attribs: Readonly<AttribList>;
  /** Child nodes; a shared empty array for text (never written to). */
  readonly children: DomNode[];
  parent: DomNode | null;
  /** Previous sibling (any type): css-select's sibling combinators walk it. */
  prev: DomNode | null;
  /** Text of a text node (the builder appends to it); "" for everything else. */
  data: string;
}

/** Readability aliases: the shape is the same, the name says what the code expects. */
export type ElementNode = DomNode;
export type DocumentNode = DomNode;

/** Shared by text nodes and the root; never written to. */
const NO_ATTRIBS: Readonly<AttribList> = [];
const NO_CHILDREN: DomNode[] = [];

/** The one constructor: a literal with a fixed key order gives every node the same map. */
function makeNode(
  type: NodeType,
  name: string,
  attribs: Readonly<AttribList>,
  children: DomNode[],
  data: string,
): DomNode {
  return { type, name, attribs, children, parent: null, prev: null, data };
}

export function createDocument(): DocumentNode {
  return makeNode("root", "", NO_ATTRIBS, [], "");
}

export function createElement(name: string, attribs: AttribList): ElementNode {
  const type: NodeType = name === "script" ? "script" : name === "style" ? "style" : "tag";
  return makeNode(type, name, attribs, [], "");
}

export function createText(data: string): DomNode {
  return makeNode("text", "", NO_ATTRIBS, NO_CHILDREN, data);
}

/** Append `node` as the last child of `parent` (the parser only ever appends). */
export function appendChild(parent: DomNode, node: DomNode): void {
  const siblings = parent.children;
  node.prev = siblings.length > 0 ? siblings[siblings.length - 1]! : null;
  node.parent = parent;
  siblings.push(node);
}

export function isElement(node: DomNode): boolean {
  const t = node.type;
  return t === "tag" || t === "script" || t === "style";
}

/** Value of the first attribute called `name` (lowercase), or undefined. */
export function attrValue(node: DomNode, name: string): string | undefined {
  return listValue(node.attribs, name);
}

/** Elements carry a handful of attributes: a linear scan beats hashing. */
export function listValue(list: Readonly<AttribList>, name: string): string | undefined {
  for (let i = 0; i < list.length; i += 2) if (list[i] === name) return list[i + 1];
  return undefined;
}

/** Same result as domutils' getText (what css-select's :contains and :empty see). */
function getText(node: DomNode): string {
  if (node.type === "text") return node.data;
  if (node.type === "root") return "";
  if (node.name === "br") return "\n";
  let s = "";
  const children = node.children;
  for (let i = 0; i < children.length; i++) s += getText(children[i]!);
  return s;
}

/** Same as domutils' removeSubsets: drop duplicates and nodes whose ancestor is also listed. */
function removeSubsets(nodes: DomNode[]): DomNode[] {
  let i = nodes.length;
  while (--i >= 0) {
    const node = nodes[i]!;
    if (i > 0 && nodes.lastIndexOf(node, i - 1) >= 0) {
      nodes.splice(i, 1);
      continue;
    }
    for (let a = node.parent; a !== null; a = a.parent) {
      if (nodes.includes(a)) {
        nodes.splice(i, 1);
        break;
      }
    }
  }
  return nodes;
}

type Adapter = NonNullable<Options<DomNode, ElementNode>["adapter"]>;

/** css-select's view of the DOM (its default would be domutils over domhandler nodes). */
export const DOM_ADAPTER: Adapter = {
  isTag: isElement as (node: DomNode) => node is ElementNode,
  getAttributeValue: attrValue,
  getChildren: (node) => node.children,
  getName: (el) => el.name,
  getParent: (node) => node.parent,
  getSiblings: (node) => (node.parent !== null ? node.parent.children : [node]),
  prevElementSibling(node) {
    let p = node.prev;
    while (p !== null && !isElement(p)) p = p.prev;
    return p;
  },
  getText,
  hasAttrib: (el, name) => listValue(el.attribs, name) !== undefined,
  removeSubsets,
};
