/**
 * What a fuzzing client throws at the JSON API: bodies (well-typed, mistyped, malformed, binary,
 * deeply nested, with prototype keys), content types, origins, cookies, extra headers and methods.
 * Biased towards the almost-valid, which reaches deepest into the code.
 */
import fc from "fast-check";

/** Values the fixture knows (its own password, a real id…), so some cases get past the refusals. */
export interface Known {
  readonly origin: string;
  readonly email: string;
  readonly password: string;
  readonly cookie: () => string | null;
  readonly ids: () => string[];
}

const ascii = fc.string({ maxLength: 40 });
const unicode = fc.string({ unit: "grapheme", maxLength: 40 });
const anyCodePoint = fc.string({ unit: "binary", maxLength: 40 });
const loneSurrogates = fc.string({ unit: fc.constantFrom("a", "\ud800", "\udc00", "é", "😀"), maxLength: 20 });
const tricky = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "null",
  "undefined",
  "__proto__",
  "constructor",
  "toString",
  "' OR '1'='1",
  "\"; DROP TABLE users; --",
  "${7*7}",
  "{{7*7}}",
  "<script>alert(1)</script>",
  "../../../../etc/passwd",
  "%00",
  "\r\nX-Injected: 1",
  "a".repeat(129),
  "é".repeat(200),
  "😀".repeat(300),
  "x".repeat(1100),
  "\u202eevil",
  "\ufeff",
  "NaN",
  "-0",
  "1e309",
);

export function strings(known: Known): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: ascii, weight: 4 },
    { arbitrary: unicode, weight: 2 },
    { arbitrary: anyCodePoint, weight: 1 },
    { arbitrary: loneSurrogates, weight: 1 },
    { arbitrary: tricky, weight: 2 },
    { arbitrary: fc.constantFrom(known.email, known.email.toUpperCase(), ` ${known.email} `, known.password), weight: 2 },
    { arbitrary: fc.emailAddress(), weight: 2 },
    { arbitrary: fc.stringMatching(/^[a-z0-9 ]{8,40}$/), weight: 2 },
    { arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), weight: 1 },
  );
}

function values(known: Known): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: strings(known), weight: 10 },
    { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)), weight: 2 },
    { arbitrary: fc.array(strings(known), { maxLength: 3 }), weight: 1 },
    { arbitrary: fc.dictionary(ascii, strings(known), { maxKeys: 3 }), weight: 1 },
    { arbitrary: fc.constantFrom({ $ne: null }, { $gt: "" }, { __proto__: { admin: true } }, [[[]]]), weight: 1 },
  );
}

/** Field names a route declares, plus the odd undeclared or dangerous one. */
function objectBody(fields: readonly string[], known: Known): fc.Arbitrary<string> {
  const declared = fc.record(Object.fromEntries(fields.map((f) => [f, values(known)])), { requiredKeys: [] });
  const extra = fc.dictionary(fc.oneof(ascii, fc.constantFrom("__proto__", "constructor", "prototype", "role", "emailVerified", "id", "userId")), values(known), { maxKeys: 2 });
  return fc
    .tuple(declared, fc.oneof({ arbitrary: fc.constant({}), weight: 4 }, { arbitrary: extra, weight: 1 }), fc.boolean())
    .map(([own, more, protoFirst]) => {
      const json = JSON.stringify({ ...own, ...more });
      // JSON.stringify drops an own "__proto__" set through spread; write it by hand as an attacker would.
      return protoFirst && "__proto__" in more ? json.replace(/^\{/, '{"__proto__":{"polluted":true},') : json;
    });
}

const deep = fc.integer({ min: 1, max: 5_000 }).map((n) => "[".repeat(n) + "]".repeat(n));

/** A request body: mostly a JSON object of the route's fields, sometimes anything at all. */
export function bodies(fields: readonly string[], known: Known): fc.Arbitrary<Buffer | undefined> {
  return fc.oneof(
    { arbitrary: objectBody(fields, known).map((s) => Buffer.from(s)), weight: 10 },
    { arbitrary: fc.constant(undefined), weight: 2 },
    { arbitrary: fc.constantFrom("", "{}", "null", "[]", "0", '""', "{", '{"a":}', "\ufeff{}").map((s) => Buffer.from(s)), weight: 2 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? "null")), weight: 2 },
    { arbitrary: objectBody(fields, known).chain((s) => fc.nat({ max: Math.max(0, s.length - 1) }).map((cut) => Buffer.from(s.slice(0, cut)))), weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), weight: 1 },
    { arbitrary: deep.map((s) => Buffer.from(s)), weight: 1 },
    { arbitrary: fc.integer({ min: 16_000, max: 20_000 }).map((n) => Buffer.from(JSON.stringify({ [fields[0] ?? "x"]: "a".repeat(n) }))), weight: 1 },
  );
}

export const contentTypes = fc.oneof(
  { arbitrary: fc.constant("application/json"), weight: 12 },
  { arbitrary: fc.constantFrom("application/json; charset=utf-8", "APPLICATION/JSON", "application/json;charset=UTF-8", "application/json; charset=\"utf-8\""), weight: 3 },
  {
    arbitrary: fc.constantFrom(
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json; charset=latin1",
      "application/json, text/plain",
      "application/jsonp",
      "*/*",
      "",
      ";;;",
    ),
    weight: 3,
  },
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz/;=+- \"*"), maxLength: 30 }), weight: 1 },
);

export function origins(known: Known): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(known.origin), weight: 12 },
    { arbitrary: fc.constant(undefined), weight: 3 },
    {
      arbitrary: fc.constantFrom("null", "https://evil.example", known.origin.replace("http:", "https:"), `${known.origin}/`, `${known.origin}.evil.example`, known.origin.toUpperCase(), "file://"),
      weight: 3,
    },
    { arbitrary: fc.webUrl().map((u) => new URL(u).origin), weight: 1 },
  );
}

const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 });

export function cookies(known: Known): fc.Arbitrary<(() => string | null) | string | null> {
  return fc.oneof(
    { arbitrary: fc.constant(known.cookie), weight: 8 },
    { arbitrary: fc.constant(null), weight: 3 },
    { arbitrary: headerValue.filter((v) => !v.includes(";")).map((v) => `session=${v}`), weight: 2 },
    { arbitrary: fc.stringMatching(/^eyJ[A-Za-z0-9_-]{5,40}\.[A-Za-z0-9_-]{0,80}\.[A-Za-z0-9_-]{0,43}$/).map((v) => `session=${v}`), weight: 2 },
    { arbitrary: fc.constantFrom("session=", "session", "=", "session=a; session=b", '"session"="x"', `session=${"a".repeat(5000)}`, "__Host-session=x", "session=%00"), weight: 2 },
    { arbitrary: headerValue, weight: 1 },
  );
}

const interestingHeaders = fc.constantFrom(
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-real-ip",
  "x-socket-remote-address",
  "x-middleware-subrequest",
  "x-middleware-prefetch",
  "x-http-method-override",
  "next-action",
  "next-router-state-tree",
  "rsc",
  "sec-fetch-site",
  "sec-fetch-mode",
  "referer",
  "authorization",
  "accept",
  "accept-encoding",
  "accept-language",
  "if-none-match",
  "range",
  "user-agent",
  "x-nextjs-data",
  "purpose",
);

export const extraHeaders = fc.dictionary(
  fc.oneof({ arbitrary: interestingHeaders, weight: 4 }, { arbitrary: fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), weight: 1 }),
  fc.oneof(headerValue, fc.constantFrom("1", "*", "gzip, br", "bytes=0-1", "cross-site", "same-site", "same-origin", "none", "127.0.0.1, 10.0.0.1")),
  { maxKeys: 3 },
);

export const otherMethods = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD");

export function queries(known: Known): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constant(""), weight: 6 },
    { arbitrary: fc.dictionary(ascii, strings(known), { maxKeys: 2 }).map((q) => `?${new URLSearchParams(q as Record<string, string>).toString()}`), weight: 1 },
    { arbitrary: fc.constantFrom("?session=x", "?token=x", "?__proto__[admin]=1", "?_rsc=1", "?next=//evil.example"), weight: 1 },
  );
}

export function pathIds(known: Known): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constant(null).map(() => known.ids()[0] ?? "none"), weight: 2 },
    { arbitrary: strings(known).filter((s) => s.length > 0).map((s) => encodeURIComponent(wellFormed(s)).slice(0, 400)), weight: 4 },
    { arbitrary: fc.constantFrom("..", "%2e%2e", "..%2F..%2F", "%00", "a%2Fb", "x".repeat(300), "%ZZ", "%E0%A4%A", "%", "%%", "%C0%AF", "%ED%A0%80"), weight: 1 },
  );
}

/** Unpaired surrogates replaced (as a browser's URL encoder does), since encodeURIComponent refuses them. */
function wellFormed(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}
