// @ts-check
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/**
 * The lint the build runs: typescript-eslint (type-aware where it matters: floating promises), and
 * the layers of README.md's map as eslint-plugin-boundaries policies. test/unit/lint-boundaries.test.ts
 * lints fixture files to prove the boundary policies fire.
 */

/** Where each kind of module lives. The first matching element wins, so src/ comes after its folders. */
const elements = [
  { type: 'story', pattern: 'src/story' },
  { type: 'polls', pattern: 'src/polls' },
  { type: 'digests', pattern: 'src/digests' },
  { type: 'verdict', pattern: 'src/verdict' },
  { type: 'arguments', pattern: 'src/arguments' },
  { type: 'developments', pattern: 'src/developments' },
  { type: 'charts', pattern: 'src/charts' },
  { type: 'storage', pattern: 'src/storage' },
  { type: 'discord', pattern: 'src/discord' },
  { type: 'text', pattern: 'src/text' },
  { type: 'i18n', pattern: 'src/i18n' },
  // What is left of src/: the composition root and process wiring (src/bot.ts, src/context.ts, …),
  // and the small shared modules of SHARED.
  { type: 'app', pattern: 'src' },
  { type: 'commands', pattern: 'commands' },
  { type: 'test', pattern: 'test' },
  { type: 'bench', pattern: 'bench' },
];

const DOMAINS = ['story', 'polls', 'digests', 'verdict', 'arguments', 'developments', 'charts'];
// Small modules at the top of src/ that any layer may use: view model, clock, UserError, logger, config, queue, scheduler.
const SHARED = ['card.ts', 'choices.ts', 'clock.ts', 'config.ts', 'constants.ts', 'errors.ts', 'logger.ts', 'queue.ts', 'scheduler.ts'];
const APP_WIRING = { type: 'app', fileInternalPath: `!{${SHARED.join(',')}}` };
const DISCORD_MODULES = ['discord.js', '@discordjs/*', 'discord-api-types', 'discord-api-types/*'];
// The story pack is what the other domains discuss, so they may read it, through its public entry
// only. A digest reports poll standings, the verdict's movement, arguments and developments, so digests
// may read the types.ts of polls, verdict, arguments and developments and nothing else of them; the
// verdict may read polls' types; polls never imports digests or the verdict, and story imports none of
// them. src/charts draws from plain numbers: it reads no domain, and no domain imports it.
const STORY_ENTRY = ['index.ts', 'types.ts'];
const OTHER_DOMAINS = {
  story: ['polls', 'digests', 'verdict', 'arguments', 'developments', 'charts'],
  polls: ['digests', 'verdict', 'arguments', 'developments', 'charts'],
  // The digest's chart and movement line come through its VerdictSource (src/digest-verdict.ts).
  digests: ['charts'],
  verdict: ['digests', 'arguments', 'developments', 'charts'],
  arguments: ['polls', 'digests', 'verdict', 'developments', 'charts'],
  developments: ['polls', 'digests', 'verdict', 'arguments', 'charts'],
  charts: ['story', 'polls', 'digests', 'verdict', 'arguments', 'developments'],
};
/** Domains another domain may read the types.ts of, and nothing else. */
const TYPES_ONLY = { story: [], polls: [], digests: ['polls', 'verdict', 'arguments', 'developments'], verdict: ['polls'], arguments: [], developments: [], charts: [] };

const domainPolicies = DOMAINS.flatMap((domain) => [
  {
    from: { element: { type: domain } },
    disallow: { to: { module: { origin: 'external', source: DISCORD_MODULES } } },
    message: `src/${domain} is domain code: it never imports discord.js or @discordjs/* (Discord messages are built in src/discord/)`,
  },
  {
    from: { element: { type: domain } },
    disallow: { to: { element: [{ types: { anyOf: ['discord', 'commands'] } }, APP_WIRING] } },
    message: `src/${domain} is domain code: it never imports src/discord/, commands/ or the app wiring (src/bot.ts, src/context.ts, …)`,
  },
  ...(OTHER_DOMAINS[domain].length === 0
    ? []
    : [
        {
          from: { element: { type: domain } },
          disallow: { to: { element: { types: { anyOf: OTHER_DOMAINS[domain] } } } },
          message: `src/${domain} never imports ${OTHER_DOMAINS[domain].map((d) => `src/${d}`).join(' or ')}: a value both need is passed in by the caller (src/bot.ts) or lives in src/story`,
        },
      ]),
  ...TYPES_ONLY[domain].map((other) => ({
    from: { element: { type: domain } },
    disallow: { to: { element: { type: other, fileInternalPath: '!types.ts' } } },
    message: `src/${domain} reads src/${other}/types.ts only: what it shows is passed in by the caller (src/bot.ts)`,
  })),
  {
    from: { element: { type: domain } },
    disallow: { to: { element: { type: 'story', fileInternalPath: `!{${STORY_ENTRY.join(',')}}` } } },
    message: `src/${domain} reads the story pack through src/story/${STORY_ENTRY.join(' or src/story/')} only`,
  },
]);

/** The layers of README.md's map, as import policies (exported for the test that proves they fire). */
export const layers = {
  files: ['src/**/*.ts', 'commands/**/*.ts'],
  plugins: { boundaries },
  settings: {
    'boundaries/elements': elements,
    'boundaries/include': ['src/**/*.ts', 'commands/**/*.ts'],
    'import/resolver': { [`${import.meta.dirname}/eslint/resolve-ts.cjs`]: {} },
  },
  rules: {
    'boundaries/dependencies': [
      'error',
      {
        default: 'allow',
        // External modules are checked too: that is how discord.js is kept out of the domains.
        checkAllOrigins: true,
        policies: [
          ...domainPolicies,
          {
            from: { element: { type: 'i18n' } },
            disallow: { to: { element: [{ types: { anyOf: [...DOMAINS, 'storage', 'discord', 'commands'] } }, APP_WIRING] } },
            message: 'src/i18n holds strings and looks them up: every layer may read it, it reads none of them',
          },
          {
            from: { element: { type: 'i18n' } },
            disallow: { to: { module: { origin: 'external', source: DISCORD_MODULES } } },
            message: 'src/i18n holds strings and looks them up: every layer may read it, it reads none of them',
          },
          {
            from: { element: { type: 'storage' } },
            disallow: { to: { element: [{ types: { anyOf: [...DOMAINS, 'discord', 'commands'] } }, APP_WIRING] } },
            message: 'src/storage knows no domain, Discord or command: domains import storage, never the reverse',
          },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.vitest/', 'coverage/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // `_`-prefixed names are deliberately unused (a handler's unused parameter, a skipped tuple slot).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A `let` read by closures before its one assignment (objects that call back into each other) stays a let.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  layers,
  // The resolver above is CommonJS because eslint-module-utils loads resolvers with require().
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
