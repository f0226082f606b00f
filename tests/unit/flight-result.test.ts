import { describe, expect, it } from 'vitest';
import { actionResultFromFlight, encodeActionArguments } from '../../bench/support/flight.ts';

/**
 * bench/load.ts reads server action answers without React: these are real answers of the
 * production build (Next 16) to POST /files with a Next-Action header, captured byte for byte.
 */
const encode = (text: string) => new TextEncoder().encode(text);

describe('actionResultFromFlight', () => {
  it('reads a createUpload plan whose presigned URL React moved to a text row', () => {
    const result = actionResultFromFlight(encode(CREATE_UPLOAD));
    expect(result).toEqual({
      ok: true,
      value: {
        kind: 'single',
        key: 'private/us-east-1:4ca141c2-2b6e-48c0-8398-9a5b4257b7c7/b.txt',
        name: 'b.txt',
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:9629\/cubby-local\/private\/.*&x-id=PutObject$/),
        headers: { 'Content-Type': 'text/plain', 'If-None-Match': '*' },
      },
    });
  });

  it('finds the result among the rows of a page re-rendered because the action set a cookie', () => {
    const result = actionResultFromFlight(encode(FIRST_CREATE_UPLOAD));
    expect(result.ok && (result.value as { name: string }).name).toBe('a.txt');
    expect(result.ok && (result.value as { url: string }).url).toMatch(
      /X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost%3Bif-none-match&x-id=PutObject$/,
    );
  });

  it('reads a failure with details, and unescapes strings React wrote as $$', () => {
    expect(actionResultFromFlight(encode(RENAME_TAKEN))).toEqual({
      ok: false,
      code: 'name_taken',
      message: 'There is already a file with that name. Choose another name.',
      details: { suggestion: '$dollar (1).txt' },
    });
    const renamed = actionResultFromFlight(encode(RENAME_DOLLAR));
    expect(renamed.ok && renamed.value).toMatchObject({ name: '$dollar.txt', key: expect.stringMatching(/\/\$dollar\.txt$/) });
  });

  it('counts a text row in UTF-8 bytes, not characters', () => {
    const body = '0:{"a":"$@1","b":"x"}\n2:T7,grüße1:{"ok":true,"value":{"name":"$2"}}\n';
    expect(actionResultFromFlight(encode(body))).toEqual({ ok: true, value: { name: 'grüße' } });
  });

  it('refuses an action that threw, an answer with no envelope, and references it does not know', () => {
    expect(() => actionResultFromFlight(encode(THROWN))).toThrow(/the action threw: \{"digest":"521277128"\}/);
    expect(() => actionResultFromFlight(encode('<!DOCTYPE html><html></html>'))).toThrow(/no envelope/);
    expect(() => actionResultFromFlight(encode('0:{"a":"$@1"}\n1:{"ok":true,"value":"$D2026-12-04"}\n'))).toThrow(/unsupported/);
    expect(() => actionResultFromFlight(encode('0:{"a":"$@1"}\n1:[1,2]\n'))).toThrow(/not an ActionResult/);
  });
});

describe('encodeActionArguments', () => {
  it('escapes strings that start with $ as React does, at any depth', () => {
    expect(encodeActionArguments([{ key: 'private/x/$a', name: '$a', taken: ['$b', 'c'] }])).toBe(
      '[{"key":"private/x/$a","name":"$$a","taken":["$$b","c"]}]',
    );
  });
});

/** createUpload, the session's identity id already in its cookie: envelope, text row, result row. */
const CREATE_UPLOAD = `0:{"a":"$@1","q":"","i":false,"b":"CcVjfqi7s6hhXeilo1kIL"}
2:T5ec,http://127.0.0.1:9629/cubby-local/private/us-east-1%3A4ca141c2-2b6e-48c0-8398-9a5b4257b7c7/b.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Credential=ASIAE6QT4HPFM6D5NTU7%2F20261204%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261204T140041Z&X-Amz-Expires=900&X-Amz-Security-Token=IQoJb3JpZ2luX2VjETETJWQUGmCQVitMzj1mB9%2BJEPnsRyqaNz0TV%2B6PpN8l%2BW4Xlv9Ov8BY8KJwK4d4QuG4ViuPZ9IqLUdkkbtnD99ZUZ16gt5LQWHm3yAZ%2F8fpkge2LaMiECpVL4apQ5uHT%2FwDgW0NWAYFy3tx%2FHMlUARIYxwBZG3dGR%2F5o37ibrjw195O89JQEX%2FzeAKpOPncFmJLyON7BrUg7n0I6PNwyPerSTjTn0ZvvugZPTfW%2B54aDSRwIOVnRzzkv1rvYF9LFTEMaDrmIQJKL9Jgq7r%2FfHp8Wxiyvqc%2BzdeYcb%2F20HhzBJCtjZeo%2BIDruj%2B7YHygMaLWYqwzPkVxVlF5b%2Fh1oaqAL0jPC84ElFwf71ZxPCV0OTTXVYbT1E8T700j%2Fo5GSR%2BGK74N4dUkZzbgu5ncofMuCIM84bBgpM4lrDJU0I44aE%2FtACJF8MWJ%2Bx1JBD82N7t8frh2HG%2Bv%2BlBeLzW7PwGNz8BShwdZQuk2zdd5x%2FYi2xGPaywgwSzC6rYdqup9So%2BKLFO%2Bs9v4q0YXCDYxfyn73lSYTdMGVBYFH2K%2FUTDREDVE06XHCWsaPNrkV0xx5kHjOZW6C40JCDP%2FRZRldhv%2FNLf8OUFrsxgAD%2F0iF09%2BzwixAgqf5Xq9UNSC94%2FPJoW%2Bsu%2Br6XxXzubKm4kNgss25AegHPIMVz4jH7ds3yFZCpa3WQ42UibXG%2FM2JEnzUHS85XkFXpT7lu9XSanqMhmV1jr%2BBTuIzpcijehw3Bs1ccXHve98yag9FvKxH3owheYCAvBSRC41jelsKqaCYkfUWGAh5MI1tCeIYtC3x8cEhaNHTbTyj7rMljB72CJm3%2FrowApfLJTug31PAD3NPV8AaeFIzVVVTxJGaJnaJIZi1D5Jt8tUo%2FgqPLXWLLU1fQBeCGI5xcomVMHuN%2BfekDkcPucNJ3Pe5p0VZ2A%3D%3D&X-Amz-Signature=b885ebdf966880bba9b1407248ae79629b178b4910d7769fc7d2022d36cd02ec&X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost%3Bif-none-match&x-id=PutObject1:{"ok":true,"value":{"kind":"single","key":"private/us-east-1:4ca141c2-2b6e-48c0-8398-9a5b4257b7c7/b.txt","name":"b.txt","url":"$2","headers":{"Content-Type":"text/plain","If-None-Match":"*"}}}
`;

/** The session's first createUpload: the action saved the identity id in the cookie, so Next re-rendered /files into the answer. */
const FIRST_CREATE_UPLOAD = `2:"$Sreact.fragment"
5:"/_next/static/chunks/1p77n_sgpg4c1.js"
6:I[39756,["$5"],"default"]
7:I[37457,["$5"],"default"]
8:I[22016,["$5"],""]
d:I[97367,["$5"],"OutletBoundary"]
e:"$Sreact.suspense"
10:"ViewportBoundary"
11:I[97367,["$5"],"$10"]
13:"MetadataBoundary"
14:I[97367,["$5"],"$13"]
:HL["/_next/static/chunks/07a4p_08k4qv6.css","style",{"nonce":"TQRyXEhZyBK6qtp113rcmg=="}]
:HL["/_next/static/chunks/2x9p9j_mlegf1.css","style",{"nonce":"TQRyXEhZyBK6qtp113rcmg=="}]
9:X
b:[["children",{"s":"__PAGE__","d":{"r":["$","$2","c",{"children":["$Lc",[["$","link","0",{"rel":"stylesheet","href":"/_next/static/chunks/2x9p9j_mlegf1.css","precedence":"next","crossOrigin":"$undefined","nonce":"TQRyXEhZyBK6qtp113rcmg=="}],["$","script","script-0",{"src":"/_next/static/chunks/0tiknd7_cj9-o.js","async":true,"nonce":"TQRyXEhZyBK6qtp113rcmg=="}],["$","script","script-1",{"src":"/_next/static/chunks/3r8qqzl31vixp.js","async":true,"nonce":"TQRyXEhZyBK6qtp113rcmg=="}]],["$","$Ld",null,{"children":["$","$e",null,{"name":"Next.MetadataOutlet","children":"$@f"}]}]]}],"p":false,"v":null}}]]
a:[["children",{"s":"files","d":{"r":["$","$2","c",{"children":[null,["$","$L6",null,{"parallelRouterKey":"children","error":"$undefined","errorStyles":"$undefined","errorScripts":"$undefined","template":["$","$L7",null,{}],"templateStyles":"$undefined","templateScripts":"$undefined","notFound":"$undefined","forbidden":"$undefined","unauthorized":"$undefined"}]]}],"p":false,"v":"$9"},"c":"$Qb"}]]
4:[["children",{"s":"(signed-in)","d":{"r":["$","$2","c",{"children":[null,["$","$L6",null,{"parallelRouterKey":"children","error":"$undefined","errorStyles":"$undefined","errorScripts":"$undefined","template":["$","$L7",null,{}],"templateStyles":"$undefined","templateScripts":"$undefined","notFound":[["$","section",null,{"className":"container status-page","aria-labelledby":"not-found-title","children":[["$","h1",null,{"id":"not-found-title","children":"We couldn’t find that page"}],["$","p",null,{"children":"The link may be old, or the page may have moved."}],["$","$L8",null,{"href":"/","className":"button button-primary","children":"Back to Cubby"}]]}],[]],"forbidden":"$undefined","unauthorized":"$undefined"}]]}],"p":false,"v":"$9"},"c":"$Qa"}]]
0:{"a":"$@1","q":"","i":false,"t":{"t":{"s":"","h":16,"d":{"r":["$","$2","c",{"children":[[["$","link","0",{"rel":"stylesheet","href":"/_next/static/chunks/07a4p_08k4qv6.css","precedence":"next","crossOrigin":"$undefined","nonce":"TQRyXEhZyBK6qtp113rcmg=="}],["$","script","script-0",{"src":"/_next/static/chunks/1p77n_sgpg4c1.js","async":true,"nonce":"TQRyXEhZyBK6qtp113rcmg=="}]],"$L3"]}],"p":false,"v":null},"c":"$Q4"},"h":{"r":["$","$2","h",{"children":[null,["$","$L11","tT-_oh8VVLbQirfKYF9QZv",{"children":"$L12"}],["$","$L14","tT-_oh8VVLbQirfKYF9QZm",{"children":[["$","div",null,{"hidden":true,"children":["$","$e",null,{"name":"Next.Metadata","children":"$L15"}]}],null]}]]}],"p":false,"v":null}},"b":"CcVjfqi7s6hhXeilo1kIL"}
9:C
16:T5ec,http://127.0.0.1:9629/cubby-local/private/us-east-1%3A4ca141c2-2b6e-48c0-8398-9a5b4257b7c7/a.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=UNSIGNED-PAYLOAD&X-Amz-Credential=ASIAE6QT4HPFM6D5NTU7%2F20261204%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261204T140041Z&X-Amz-Expires=900&X-Amz-Security-Token=IQoJb3JpZ2luX2VjETETJWQUGmCQVitMzj1mB9%2BJEPnsRyqaNz0TV%2B6PpN8l%2BW4Xlv9Ov8BY8KJwK4d4QuG4ViuPZ9IqLUdkkbtnD99ZUZ16gt5LQWHm3yAZ%2F8fpkge2LaMiECpVL4apQ5uHT%2FwDgW0NWAYFy3tx%2FHMlUARIYxwBZG3dGR%2F5o37ibrjw195O89JQEX%2FzeAKpOPncFmJLyON7BrUg7n0I6PNwyPerSTjTn0ZvvugZPTfW%2B54aDSRwIOVnRzzkv1rvYF9LFTEMaDrmIQJKL9Jgq7r%2FfHp8Wxiyvqc%2BzdeYcb%2F20HhzBJCtjZeo%2BIDruj%2B7YHygMaLWYqwzPkVxVlF5b%2Fh1oaqAL0jPC84ElFwf71ZxPCV0OTTXVYbT1E8T700j%2Fo5GSR%2BGK74N4dUkZzbgu5ncofMuCIM84bBgpM4lrDJU0I44aE%2FtACJF8MWJ%2Bx1JBD82N7t8frh2HG%2Bv%2BlBeLzW7PwGNz8BShwdZQuk2zdd5x%2FYi2xGPaywgwSzC6rYdqup9So%2BKLFO%2Bs9v4q0YXCDYxfyn73lSYTdMGVBYFH2K%2FUTDREDVE06XHCWsaPNrkV0xx5kHjOZW6C40JCDP%2FRZRldhv%2FNLf8OUFrsxgAD%2F0iF09%2BzwixAgqf5Xq9UNSC94%2FPJoW%2Bsu%2Br6XxXzubKm4kNgss25AegHPIMVz4jH7ds3yFZCpa3WQ42UibXG%2FM2JEnzUHS85XkFXpT7lu9XSanqMhmV1jr%2BBTuIzpcijehw3Bs1ccXHve98yag9FvKxH3owheYCAvBSRC41jelsKqaCYkfUWGAh5MI1tCeIYtC3x8cEhaNHTbTyj7rMljB72CJm3%2FrowApfLJTug31PAD3NPV8AaeFIzVVVTxJGaJnaJIZi1D5Jt8tUo%2FgqPLXWLLU1fQBeCGI5xcomVMHuN%2BfekDkcPucNJ3Pe5p0VZ2A%3D%3D&X-Amz-Signature=9fc0e40b24fbe532642e2a24ff141a00e1ee56a00db99affe0d02c2f16180c61&X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost%3Bif-none-match&x-id=PutObject1:{"ok":true,"value":{"kind":"single","key":"private/us-east-1:4ca141c2-2b6e-48c0-8398-9a5b4257b7c7/a.txt","name":"a.txt","url":"$16","headers":{"Content-Type":"text/plain","If-None-Match":"*"}}}
18:I[40894,["$5"],"SignedOutNotice"]
19:"/_next/static/chunks/2wow0_577jeka.js"
1a:I[8821,["$5","$19"],"default"]
3:["$","html",null,{"lang":"en","children":["$","body",null,{"children":[["$","a",null,{"className":"skip-link","href":"#main","children":"Skip to content"}],"$L17",["$","$L18",null,{}],["$","main",null,{"id":"main","className":"main","children":["$","$L6",null,{"parallelRouterKey":"children","error":"$1a","errorStyles":[],"errorScripts":[["$","script","script-0",{"src":"/_next/static/chunks/2wow0_577jeka.js","async":true,"nonce":"TQRyXEhZyBK6qtp113rcmg=="}]],"template":["$","$L7",null,{}],"templateStyles":"$undefined","templateScripts":"$undefined","notFound":[["$","section",null,{"className":"container status-page","aria-labelledby":"not-found-title","children":[["$","h1",null,{"id":"not-found-title","children":"We couldn’t find that page"}],["$","p",null,{"children":"The link may be old, or the page may have moved."}],["$","$L8",null,{"href":"/","className":"button button-primary","children":"Back to Cubby"}]]}],[]],"forbidden":"$undefined","unauthorized":"$undefined"}]}],["$","footer",null,{"className":"site-footer","children":["$","div",null,{"className":"container footer-inner","children":[["$","p",null,{"children":["Cubby ",["$","span",null,{"className":"muted","children":["v","0.1.0"]}]]}],["$","p",null,{"className":"muted","children":"Your files go straight to Amazon S3. Cubby never sees their bytes."}]]}]}]]}]}]
12:[["$","meta","0",{"charSet":"utf-8"}],["$","meta","1",{"name":"viewport","content":"width=device-width, initial-scale=1"}],["$","meta","2",{"name":"theme-color","content":"#f7f6f3","media":"(prefers-color-scheme: light)"}],["$","meta","3",{"name":"theme-color","content":"#14151a","media":"(prefers-color-scheme: dark)"}],["$","meta","4",{"name":"color-scheme","content":"light dark"}]]
1b:I[27201,["$5"],"IconMark"]
f:null
15:[["$","title","0",{"children":"Your files · Cubby"}],["$","meta","1",{"name":"description","content":"Keep your files in Amazon S3, signed in with Amazon Cognito. Uploads go straight to S3."}],["$","meta","2",{"name":"robots","content":"index, nofollow"}],["$","link","3",{"rel":"icon","href":"/icon.svg","type":"image/svg+xml"}],["$","$L1b","4",{}]]
1c:I[40894,["$5"],"SignedInOnly"]
1d:I[24745,["$5"],"SignOutButton"]
17:["$","header",null,{"className":"site-header","children":["$","div",null,{"className":"container header-inner","children":[["$","$L8",null,{"href":"/","className":"brand","aria-label":"Cubby, home","children":[["$","svg",null,{"width":28,"height":28,"viewBox":"0 0 32 32","aria-hidden":"true","focusable":"false","className":"logo","children":[["$","rect",null,{"x":"2","y":"2","width":"28","height":"28","rx":"8","className":"logo-box"}],["$","rect",null,{"x":"8","y":"9","width":"16","height":"6","rx":"2","className":"logo-shelf"}],["$","rect",null,{"x":"8","y":"18","width":"16","height":"6","rx":"2","className":"logo-shelf logo-shelf-low"}]]}],["$","span",null,{"className":"brand-name","children":"Cubby"}]]}],["$","nav",null,{"aria-label":"Account","className":"header-nav","children":["$","$L1c",null,{"children":[["$","$L8",null,{"href":"/files","className":"nav-link","children":"Files"}],["$","$L8",null,{"href":"/profile","className":"nav-link nav-account","data-testid":"signed-in-as","aria-label":"Profile: probe@example.com","children":[["$","svg",null,{"className":"nav-account-icon","viewBox":"0 0 24 24","aria-hidden":"true","focusable":"false","children":[["$","circle",null,{"cx":"12","cy":"8","r":"4"}],["$","path",null,{"d":"M4 21c0-4.4 3.6-8 8-8s8 3.6 8 8"}]]}],["$","span",null,{"className":"nav-account-name","children":"probe@example.com"}]]}],["$","$L1d",null,{}]]}]}]]}]}]
1e:"/_next/static/chunks/0tiknd7_cj9-o.js"
1f:"/_next/static/chunks/3r8qqzl31vixp.js"
20:I[98314,["$5","$1e","$1f"],"FileManager"]
c:["$","section",null,{"className":"container page files-page","aria-labelledby":"files-title","children":[["$","div",null,{"className":"files-head","children":[["$","h1",null,{"id":"files-title","children":"Your files"}],["$","p",null,{"className":"muted","data-testid":"files-owner","children":["Signed in as ","probe@example.com"]}]]}],["$","$L20",null,{"initial":{"ok":true,"value":{"items":[],"nextCursor":null,"totalCount":0,"usedBytes":0,"quotaBytes":1073741824}}}]]}]
`;

const RENAME_TAKEN = `0:{"a":"$@1","q":"","i":false,"b":"CcVjfqi7s6hhXeilo1kIL"}
1:{"ok":false,"code":"name_taken","message":"There is already a file with that name. Choose another name.","details":{"suggestion":"$$dollar (1).txt"}}
`;

const RENAME_DOLLAR = `0:{"a":"$@1","q":"","i":false,"b":"CcVjfqi7s6hhXeilo1kIL"}
1:{"ok":true,"value":{"key":"private/us-east-1:4ca141c2-2b6e-48c0-8398-9a5b4257b7c7/$dollar.txt","name":"$$dollar.txt","size":5,"type":"text/plain","lastModified":"2026-12-04T14:00:41.000Z"}}
`;

/** renameFile called with an unescaped "$1" (read as a reference): the action threw, Next answered 500. */
const THROWN = `0:{"a":"$@1","q":"","i":false,"b":"CcVjfqi7s6hhXeilo1kIL"}
1:E{"digest":"521277128"}
`;
