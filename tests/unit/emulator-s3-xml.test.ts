import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { S3Error } from '../../emulator/s3/errors.ts';
import { escapeXml, listOf, parseXmlBody, textOf, xmlDocument } from '../../emulator/s3/xml.ts';

describe('escapeXml', () => {
  it('escapes markup, quotes and control characters as S3 does', () => {
    expect(escapeXml('"9b2c"')).toBe('&quot;9b2c&quot;');
    expect(escapeXml('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(escapeXml('line\r\nnext\u0001')).toBe('line&#13;\nnext&#1;');
  });
});

describe('xmlDocument', () => {
  it('builds the §7.5 ListBucketResult shape, omitting undefined elements', () => {
    const xml = xmlDocument('ListBucketResult', [
      ['Name', 'cubby-local'],
      ['Prefix', 'private/'],
      ['NextContinuationToken', undefined],
      ['KeyCount', 1],
      ['IsTruncated', false],
      [
        'Contents',
        [
          ['Key', 'private/a&b.txt'],
          ['ETag', '"abc"'],
          ['Size', 3],
        ],
      ],
    ]);
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>cubby-local</Name><Prefix>private/</Prefix>' +
        '<KeyCount>1</KeyCount><IsTruncated>false</IsTruncated>' +
        '<Contents><Key>private/a&amp;b.txt</Key><ETag>&quot;abc&quot;</ETag><Size>3</Size></Contents></ListBucketResult>',
    );
  });

  it('round-trips awkward keys through a standard XML parser', () => {
    const key = 'private/us-east-1:1/ <"quoted"> & \r ✓';
    const xml = xmlDocument('Error', [['Key', key]], false);
    const parsed = new XMLParser({ htmlEntities: true, trimValues: false }).parse(xml) as { Error: { Key: string } };
    expect(parsed.Error.Key).toBe(key);
  });
});

describe('parseXmlBody', () => {
  it('reads DeleteObjects bodies with numeric-looking and escaped keys as strings', () => {
    const body = Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet>' +
        '<Object><Key>007</Key></Object><Object><Key> a &amp; b&#13;</Key></Object></Delete>',
    );
    const document = parseXmlBody(body).Delete;
    expect(textOf(document, 'Quiet')).toBe('true');
    expect(listOf(document, 'Object').map((item) => textOf(item, 'Key'))).toEqual(['007', ' a & b\r']);
  });

  it('always gives repeated elements as lists', () => {
    const document = parseXmlBody(
      Buffer.from('<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>'),
    );
    expect(listOf(document.CompleteMultipartUpload, 'Part')).toHaveLength(1);
  });

  it.each(['', '<Delete><Object>', 'not xml', '<a></b>'])('refuses %j with MalformedXML', (text) => {
    let caught: unknown;
    try {
      parseXmlBody(Buffer.from(text));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(S3Error);
    expect((caught as S3Error).code).toBe('MalformedXML');
  });
});
