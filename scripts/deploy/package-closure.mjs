// The folders of npm packages plus their production dependencies, resolved the way Node resolves them (nested
// node_modules first). Used by next.config.mjs (outputFileTracingIncludes, for packages the conversion worker
// loads at run time where Next's tracer cannot see) and by assemble-release.mjs.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export function packageDir(name, fromDir) {
  const req = createRequire(path.join(fromDir, 'noop.js'));
  try {
    return path.dirname(req.resolve(`${name}/package.json`));
  } catch {
    // Packages whose "exports" hide package.json: walk up from the entry point.
    try {
      let dir = path.dirname(req.resolve(name));
      while (
        !existsSync(path.join(dir, 'package.json')) ||
        JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name
      ) {
        const up = path.dirname(dir);
        if (up === dir) return null;
        dir = up;
      }
      return dir;
    } catch {
      return null;
    }
  }
}

/** Absolute package folders (inside `root`) of `names` and everything they depend on at run time. */
export function packageClosure(names, root) {
  const seen = new Set();
  const visit = (name, fromDir) => {
    const dir = packageDir(name, fromDir);
    if (!dir || seen.has(dir) || path.relative(root, dir).startsWith('..')) return;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    for (const dep of [
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.optionalDependencies ?? {}),
    ])
      visit(dep, dir);
  };
  for (const n of names) visit(n, root);
  return [...seen];
}

/** Glob patterns for outputFileTracingIncludes. */
export function packageClosureGlobs(names, root) {
  return packageClosure(names, root).map(
    (dir) => `./${path.relative(root, dir).split(path.sep).join('/')}/**/*`,
  );
}
