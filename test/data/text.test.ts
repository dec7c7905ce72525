/**
 * Text datasets for character models (src/data/text.ts): the vocabulary (sorted code points, the
 * line marker at index 0), reading files with errors that name the path, lines with start/end
 * markers padded per batch with the ignored target, fixed-length chunks, and the bundled names.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { data, DataFormatError, ValueError } from "../../src/index.js";
import { withTempDir } from "../helpers/temp-dir.js";

const { Vocabulary, LineDataset, ChunkDataset, textDataset, readTextFile, firstNames, targetLengths, PAD_TARGET } = data;

describe("Vocabulary", () => {
  test("sorted unique characters by code point; encode and decode round-trip", () => {
    const v = Vocabulary.fromText("hello, world");
    assert.deepEqual(v.chars, [" ", ",", "d", "e", "h", "l", "o", "r", "w"]);
    assert.equal(v.marker, null);
    assert.deepEqual(Array.from(v.encode("hold")), [4, 6, 5, 2]);
    assert.equal(v.decode(v.encode("hello, world")), "hello, world");
  });
  test("lines: line breaks are not characters; index 0 is the marker", () => {
    const v = Vocabulary.fromText("Bob\r\nAda\n", { lines: true });
    assert.deepEqual(v.chars, ["\n", "A", "B", "a", "b", "d", "o"]);
    assert.equal(v.marker, 0);
    assert.equal(v.size, 7);
  });
  test("a character is a code point: an emoji or an accented letter is one index", () => {
    const v = Vocabulary.fromText("é😀e");
    assert.deepEqual(v.chars, ["e", "é", "😀"]);
    assert.deepEqual(Array.from(v.encode("😀é")), [2, 1]);
  });
  test("unknown characters and indices are named", () => {
    const v = Vocabulary.fromText("ab");
    assert.throws(() => v.encode("abc"), (e: Error) => e instanceof ValueError && /character "c" \(U\+0063\) at position 2 is not in the vocabulary/.test(e.message));
    assert.throws(() => v.decode([0, 5]), /index 5 is outside 0\.\.1/);
    assert.throws(() => new Vocabulary(["a", "a"]), /appears twice/);
  });
});

describe("readTextFile", () => {
  test("missing, empty, a folder, and invalid UTF-8 are errors naming the path", () => {
    withTempDir((dir) => {
      const missing = join(dir, "none.txt");
      assert.throws(() => readTextFile(missing), (e: Error) => e instanceof DataFormatError && e.message === `${missing}: does not exist`);
      const empty = join(dir, "empty.txt");
      writeFileSync(empty, "");
      assert.throws(() => readTextFile(empty), (e: Error) => e instanceof DataFormatError && e.message === `${empty}: is empty: a text dataset needs some text`);
      assert.throws(() => readTextFile(dir), (e: Error) => e instanceof DataFormatError && e.message === `${dir}: is not a file`);
      const bad = join(dir, "bad.txt");
      writeFileSync(bad, Buffer.from([0x61, 0xff, 0x62]));
      assert.throws(() => readTextFile(bad), (e: Error) => e instanceof DataFormatError && e.message === `${bad}: is not valid UTF-8 text`);
    });
  });
  test("reads UTF-8 and drops a byte-order mark", () => {
    withTempDir((dir) => {
      const f = join(dir, "t.txt");
      writeFileSync(f, "\ufeffnaïve\n");
      assert.equal(readTextFile(f), "naïve\n");
    });
  });
});

describe("LineDataset", () => {
  test("each line is marker + characters → characters + marker", () => {
    const { dataset, vocabulary } = textDataset("ab\nb\nab\n", { mode: "lines" });
    assert.equal(dataset.length, 2, "duplicate lines dropped");
    assert.deepEqual(vocabulary.chars, ["\n", "a", "b"]);
    const [x, y] = dataset.get(0);
    assert.deepEqual(x.toArray(), [0, 1, 2]);
    assert.deepEqual(y.toArray(), [1, 2, 0]);
    assert.equal(x.dtype, "int32");
  });
  test("a batch is padded to its longest line: inputs with the marker, targets with -100", () => {
    const v = Vocabulary.fromText("abc\na", { lines: true });
    const ds = new LineDataset(["abc", "a", "ca"], v);
    const [x, y] = ds.getBatch(Int32Array.from([1, 0, 2]));
    assert.deepEqual(x.shape, [3, 4]);
    assert.deepEqual(x.toArray(), [[0, 1, 0, 0], [0, 1, 2, 3], [0, 3, 1, 0]]);
    assert.deepEqual(y.toArray(), [[1, 0, PAD_TARGET, PAD_TARGET], [1, 2, 3, 0], [3, 1, 0, PAD_TARGET]]);
    assert.deepEqual(targetLengths(y), [2, 4, 3]);
    assert.deepEqual(ds.lengths([1, 0, 2]), [2, 4, 3]);
    assert.equal(ds.countTargets(), 4 + 2 + 3);
  });
  test("needs a vocabulary with a marker, and characters it knows", () => {
    assert.throws(() => new LineDataset(["ab"], Vocabulary.fromText("ab")), /needs a line marker/);
    assert.throws(() => new LineDataset(["abz"], Vocabulary.fromText("ab", { lines: true })), /character "z"/);
  });
});

describe("ChunkDataset", () => {
  test("non-overlapping chunks, target shifted by one character, last partial chunk dropped", () => {
    const { dataset, vocabulary } = textDataset("abcdefghij", { seqLength: 3 });
    assert.ok(dataset instanceof ChunkDataset);
    assert.equal(dataset.length, 3); // (10 − 1) / 3
    const [x, y] = dataset.get(2);
    assert.equal(vocabulary.decode(x.data()), "ghi");
    assert.equal(vocabulary.decode(y.data()), "hij");
    const [bx, by] = dataset.getBatch(Int32Array.from([1, 0]));
    assert.deepEqual(bx.shape, [2, 3]);
    assert.equal(vocabulary.decode(bx.data()), "defabc");
    assert.equal(vocabulary.decode(by.data()), "efgbcd");
  });
  test("a text shorter than one chunk is an error that says so", () => {
    assert.throws(() => textDataset("abc", { seqLength: 3 }), /has 3 characters, fewer than one chunk of 3 \+ 1/);
  });
});

describe("firstNames: the bundled default text", () => {
  test("the union of the female and male lists, each name once, sorted", () => {
    const names = firstNames();
    assert.equal(names.length, 8422);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual([...names].sort(), names);
    for (const n of ["Aaren", "Aaron", "Mary", "John"]) assert.ok(names.includes(n), n);
    const { vocabulary } = textDataset(names.join("\n"), { mode: "lines" });
    assert.equal(vocabulary.size, 54); // marker, "-", A–Z, a–z
  });
});
