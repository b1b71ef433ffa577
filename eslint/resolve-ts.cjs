// An import resolver for eslint-plugin-boundaries: the code imports `./x.js` (NodeNext) where the file
// is `./x.ts`, which the node resolver alone cannot find. Packages go to the node resolver.
const { existsSync } = require('node:fs');
const { dirname, resolve: resolvePath } = require('node:path');
const node = require('eslint-import-resolver-node');

exports.interfaceVersion = 2;
exports.resolve = (source, file, config) => {
  if (source.startsWith('.')) {
    const target = resolvePath(dirname(file), source);
    for (const candidate of [target.replace(/\.js$/, '.ts'), target, `${target}.ts`, resolvePath(target, 'index.ts')]) {
      if (existsSync(candidate)) return { found: true, path: candidate };
    }
    return { found: false };
  }
  return node.resolve(source, file, config);
};
