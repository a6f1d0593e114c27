/**
 * The few browser APIs the studio page uses, typed here, in this module only.
 *
 * The project's `tsconfig.json` checks Node.js code (`lib: ES2023`, `types: node`). Giving the
 * whole program the DOM library (`/// <reference lib="dom" />` in a page file would) changes
 * the types of Node's own `fetch` for every other file, and breaks some. So the page declares
 * the subset of the DOM it calls, under the DOM's own names, and takes `document` and
 * `window` from `globalThis` through them. Real DOM objects have every member named here; a
 * member missing here is a compile error, not a runtime one: add it when the page needs it.
 * `fetch`, `Response`, `URL`, `URLSearchParams`, `performance` and timers come from Node's
 * types, which match the browser's for what the page does with them.
 */

export interface Event {
  readonly type: string;
  readonly target: unknown;
  preventDefault(): void;
}

export interface KeyboardEvent extends Event {
  readonly key: string;
}

export interface MessageEvent extends Event {
  readonly data: string;
}

type Listener<E extends Event> = (event: E) => void;

export interface EventTarget {
  addEventListener(type: 'keydown', listener: Listener<KeyboardEvent>): void;
  addEventListener(type: string, listener: Listener<Event>, options?: { once?: boolean }): void;
}

export interface DOMTokenList {
  add(...tokens: string[]): void;
  remove(...tokens: string[]): void;
  toggle(token: string, force?: boolean): boolean;
  contains(token: string): boolean;
}

export interface CSSStyleDeclaration {
  width: string;
  height: string;
  setProperty(name: string, value: string): void;
}

export interface Node extends EventTarget {
  textContent: string | null;
  readonly parentNode: Node | null;
  readonly isConnected: boolean;
  contains(other: Node | null): boolean;
}

export interface Element extends Node {
  id: string;
  className: string;
  readonly classList: DOMTokenList;
  readonly children: ArrayLike<Element>;
  readonly firstElementChild: Element | null;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  removeAttribute(name: string): void;
  hasAttribute(name: string): boolean;
  toggleAttribute(name: string, force?: boolean): boolean;
  append(...nodes: (Node | string)[]): void;
  replaceChildren(...nodes: (Node | string)[]): void;
  remove(): void;
  querySelector<E extends Element = HTMLElement>(selectors: string): E | null;
  querySelectorAll<E extends Element = HTMLElement>(selectors: string): ArrayLike<E>;
  closest<E extends Element = HTMLElement>(selectors: string): E | null;
  getBoundingClientRect(): { width: number; height: number };
  scrollIntoView(): void;
}

export interface HTMLElement extends Element {
  hidden: boolean;
  title: string;
  tabIndex: number;
  readonly dataset: Record<string, string | undefined>;
  readonly style: CSSStyleDeclaration;
  readonly clientWidth: number;
  focus(): void;
}

export interface HTMLButtonElement extends HTMLElement {
  disabled: boolean;
  type: string;
  value: string;
}

export interface HTMLInputElement extends HTMLElement {
  disabled: boolean;
  checked: boolean;
  name: string;
  type: string;
  value: string;
  required: boolean;
}

export interface HTMLTextAreaElement extends HTMLElement {
  disabled: boolean;
  value: string;
}

export interface HTMLOptionElement extends HTMLElement {
  value: string;
  selected: boolean;
  disabled: boolean;
}

export interface HTMLSelectElement extends HTMLElement {
  disabled: boolean;
  value: string;
  readonly options: ArrayLike<HTMLOptionElement>;
}

export interface HTMLFormElement extends HTMLElement {
  reset(): void;
}

export interface HTMLProgressElement extends HTMLElement {
  value: number;
  max: number;
}

export interface HTMLDialogElement extends HTMLElement {
  readonly open: boolean;
  returnValue: string;
  showModal(): void;
  close(returnValue?: string): void;
}

/** The frame's window, as far as the page reaches into its own same-origin frames. */
export interface FrameWindow {
  readonly scrollX: number;
  readonly scrollY: number;
  scrollTo(x: number, y: number): void;
}

export interface HTMLIFrameElement extends HTMLElement {
  srcdoc: string;
  readonly contentWindow: FrameWindow | null;
  /** The frame's document while it is same-origin (`sandbox="allow-same-origin"`). */
  readonly contentDocument: FrameDocument | null;
}

/** A document as the page reaches into it: a frame's, or one `parseHtml` made. */
export interface FrameDocument {
  readonly readyState: string;
  /** `CSS1Compat` (standards mode) or `BackCompat` (quirks mode). */
  readonly compatMode: string;
  readonly documentElement: unknown;
  importNode<T>(node: T, deep: boolean): T;
  replaceChild(node: unknown, child: unknown): unknown;
}

export interface Document extends Node {
  title: string;
  readonly documentElement: HTMLElement;
  readonly body: HTMLElement;
  readonly activeElement: Element | null;
  createElement(tag: string): HTMLElement;
  createTextNode(text: string): Node;
  querySelector<E extends Element = HTMLElement>(selectors: string): E | null;
  getElementById(id: string): HTMLElement | null;
}

export interface EventSource extends EventTarget {
  readonly readyState: number;
  close(): void;
}

export interface Window extends EventTarget {
  readonly innerWidth: number;
  requestAnimationFrame(callback: (time: number) => void): number;
}

interface BrowserGlobals {
  document: Document;
  window: Window & Record<string, unknown>;
  EventSource: new (url: string) => EventSource;
  DOMParser: new () => { parseFromString(text: string, type: 'text/html'): FrameDocument };
}

const browser = globalThis as unknown as BrowserGlobals;

/** The page's document. */
export const document: Document = browser.document;

/** The page's window; the page also sets a few values on it for tests to read (`studio-state.ts`). */
export const window: Window & Record<string, unknown> = browser.window;

/** Opens a server-sent event stream. */
export function openEventSource(url: string): EventSource {
  return new browser.EventSource(url);
}

/**
 * `html` parsed into a document of its own, which has no browsing context: nothing in it runs
 * and nothing it names is fetched until its nodes are imported into a frame's document.
 */
export function parseHtml(html: string): FrameDocument {
  return new browser.DOMParser().parseFromString(html, 'text/html');
}

/** Element types by tag, for `h`. */
interface Tags {
  button: HTMLButtonElement;
  input: HTMLInputElement;
  textarea: HTMLTextAreaElement;
  select: HTMLSelectElement;
  option: HTMLOptionElement;
  optgroup: HTMLElement;
  form: HTMLFormElement;
  iframe: HTMLIFrameElement;
  progress: HTMLProgressElement;
  dialog: HTMLDialogElement;
}

type Attribute = string | number | boolean | undefined;
type Child = Node | string | undefined | false;

/**
 * A new element: attributes set with `setAttribute` (`true` as an empty value, `false` and
 * `undefined` left out), then its children appended (`undefined` and `false` skipped).
 */
export function h<T extends string>(
  tag: T,
  attributes: Record<string, Attribute> = {},
  ...children: Child[]
): T extends keyof Tags ? Tags[T] : HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child !== undefined && child !== false) element.append(child);
  }
  return element as T extends keyof Tags ? Tags[T] : HTMLElement;
}

/** The element with `id`, which the page's shell or the page itself made. */
export function byId<E extends HTMLElement = HTMLElement>(id: string): E {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the studio page has no element #${id}`);
  return element as E;
}
