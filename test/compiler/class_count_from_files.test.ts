/** The class count of an image folder or split list comes from its files when they are there, else from `classes N`. */
import test from 'ava';
import { compile } from '../../compiler/compile.ts';
import type { CompileResult } from '../../compiler/compile.ts';
import { memoryCompilerHost, tinyBase } from '../helpers/compile_source.ts';

/** Error codes only: the memory host has no image files, so missing-path warnings come with every case. */
const codes = (result: CompileResult) => result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

const experiment = (source: string, classes = '') => `import "base.lpt"
experiment x extends base {
  ${classes}
  data.train = ${source} | resize(size: 28, square: true)
  data.test  = ${source} | resize(size: 28, square: true)
}`;

function compileWith(main: string, files: Record<string, string>, folders: Record<string, string[]> = {}) {
  const host = {
    ...memoryCompilerHost({ '/p/main.lpt': main, '/p/base.lpt': tinyBase, ...files }),
    subfolders: (path: string) => folders[path],
  };
  return compile('main.lpt', host);
}

const list = 'a/1.png 0\nb/2.png 2\n# comment 9\n\nc/3.png 1\r\n';

test("an image folder's classes are its subfolders; a split list's the largest label plus one", (t) => {
  const folder = compileWith(experiment('image_folder(root: "images")'), {}, { '/p/images': ['cat', 'dog', 'eel'] });
  t.deepEqual(codes(folder), []);
  t.is(folder.plans[0]!.classes, 3);
  t.is(folder.plans[0]!.modules.heads[0]!.classes, 3);
  const listed = compileWith(experiment('split_list(root: "images", list: "train.txt")'), { '/p/train.txt': list });
  t.deepEqual(codes(listed), []);
  t.is(listed.plans[0]!.classes, 3);
});

test('without the files `classes N` is still needed, and a count the files contradict is an error', (t) => {
  t.deepEqual(codes(compileWith(experiment('image_folder(root: "images")'), {})), [2040]);
  t.deepEqual(codes(compileWith(experiment('image_folder(root: "images")', 'classes 7'), {})), []);
  const folders = { '/p/images': ['cat', 'dog', 'eel'] };
  t.deepEqual(codes(compileWith(experiment('image_folder(root: "images")', 'classes 4'), {}, folders)), [2053]);
  const listed = experiment('split_list(root: "images", list: "train.txt")', 'classes 2');
  t.deepEqual(codes(compileWith(listed, { '/p/train.txt': list })), [2053]);
  // A split list may leave the last classes without training images.
  t.is(compileWith(listed.replace('classes 2', 'classes 5'), { '/p/train.txt': list }).plans[0]!.classes, 5);
});
