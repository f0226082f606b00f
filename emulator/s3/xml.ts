import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { s3Errors } from './errors.ts';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
/** What every XML document S3 sends starts with. */
export const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/**
 * Escapes text for XML element content. Quotes become `&quot;` (S3 writes ETags as
 * `&quot;…&quot;`); control characters become character references as S3 does (`&#13;`).
 */
export function escapeXml(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what must be escaped here.
  return value.replace(/[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\r]/g, (char) => {
    switch (char) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return `&#${char.charCodeAt(0)};`;
    }
  });
}

/** A child value: text, a nested list of elements, or nothing (element omitted). */
export type XmlValue = string | number | boolean | readonly XmlNode[] | undefined;
export type XmlNode = readonly [name: string, value: XmlValue];

/** Serialises elements in order; `undefined` values are left out, numbers and booleans printed as S3 does. */
export function xmlElements(nodes: readonly XmlNode[]): string {
  let out = '';
  for (const [name, value] of nodes) {
    if (value === undefined) continue;
    const inner = Array.isArray(value) ? xmlElements(value) : escapeXml(String(value));
    out += `<${name}>${inner}</${name}>`;
  }
  return out;
}

/** A whole XML document with S3's declaration; `namespaced` adds the 2006-03-01 xmlns. */
export function xmlDocument(root: string, children: readonly XmlNode[], namespaced = true): string {
  const xmlns = namespaced ? ` xmlns="${S3_NAMESPACE}"` : '';
  return `${DECLARATION}<${root}${xmlns}>${xmlElements(children)}</${root}>`;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  removeNSPrefix: true,
  // Keys such as "007" must stay strings with their spaces.
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  // Decodes numeric character references (&#13;), which S3 keys may carry.
  htmlEntities: true,
  isArray: (name) => name === 'Object' || name === 'Part',
});

/**
 * Parses a request body S3 expects as XML (DeleteObjects, CompleteMultipartUpload) into plain
 * objects; repeated `Object`/`Part` elements are always arrays. Throws MalformedXML.
 */
export function parseXmlBody(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8');
  if (text.trim() === '' || XMLValidator.validate(text) !== true) throw s3Errors.malformedXml();
  const parsed: unknown = parser.parse(text);
  if (typeof parsed !== 'object' || parsed === null) throw s3Errors.malformedXml();
  return parsed as Record<string, unknown>;
}

/** Reads `obj[name]` when it is a string (an element's text), else undefined. */
export function textOf(obj: unknown, name: string): string | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const value = (obj as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** Reads `obj[name]` as a list of element objects (empty when absent). */
export function listOf(obj: unknown, name: string): unknown[] {
  if (typeof obj !== 'object' || obj === null) return [];
  const value = (obj as Record<string, unknown>)[name];
  return Array.isArray(value) ? value : [];
}
