import { Parser } from 'htmlparser2';

/** An element of parsed HTML: lowercase tag and attribute names, decoded attribute values. */
export interface HtmlElement {
  kind: 'element';
  tag: string;
  attributes: Record<string, string>;
  children: HtmlNode[];
  /** Undefined for the document itself. */
  parent: HtmlElement | undefined;
}

/** A run of text, entities decoded (the content of `<style>` too). */
export interface HtmlText {
  kind: 'text';
  text: string;
  parent: HtmlElement;
}

/** A node of parsed HTML. Comments, and so Outlook's conditional comments, are left out. */
export type HtmlNode = HtmlElement | HtmlText;

/** HTML parsed once for all the checks. */
export interface HtmlDocument {
  /** The document: a synthetic element with the tag `#document`. */
  root: HtmlElement;
  /** Every element in document order. */
  elements: HtmlElement[];
  /** The doctype declaration as written, e.g. `!doctype html`; undefined without one. */
  doctype: string | undefined;
}

/**
 * Parses HTML the way a lenient browser would (htmlparser2: implied end tags, void elements,
 * raw text in `<style>`), into a small tree that the checks walk. What sits inside comments,
 * such as the markup MJML writes for Outlook in `<!--[if mso]>`, is not part of the tree.
 */
export function parseHtml(html: string): HtmlDocument {
  const root: HtmlElement = {
    kind: 'element',
    tag: '#document',
    attributes: {},
    children: [],
    parent: undefined,
  };
  const elements: HtmlElement[] = [];
  let current = root;
  let doctype: string | undefined;
  const parser = new Parser(
    {
      onopentag(tag, attributes) {
        const element: HtmlElement = {
          kind: 'element',
          tag,
          attributes,
          children: [],
          parent: current,
        };
        current.children.push(element);
        elements.push(element);
        current = element;
      },
      onclosetag() {
        current = current.parent ?? root;
      },
      ontext(text) {
        const last = current.children.at(-1);
        if (last?.kind === 'text') last.text += text;
        else current.children.push({ kind: 'text', text, parent: current });
      },
      onprocessinginstruction(name, data) {
        if (name.toLowerCase() === '!doctype') doctype = data;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return { root, elements, doctype };
}

/** The text inside `element`, whitespace collapsed, without `<style>`, `<script>` or `<title>`. */
export function textOf(element: HtmlElement): string {
  const parts: string[] = [];
  const walk = (node: HtmlNode) => {
    if (node.kind === 'text') parts.push(node.text);
    else if (!['style', 'script', 'title'].includes(node.tag)) node.children.forEach(walk);
  };
  walk(element);
  return parts.join('').replace(/\s+/g, ' ').trim();
}
