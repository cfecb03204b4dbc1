// GraphQL Code Generator: typed documents for every operation in src/, from
// the schema the server serves (the two files at the repository root), so
// no running server is needed and a schema change breaks the build.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: ['../ent.graphql', '../schema.graphql'],
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Time: 'string', Cursor: 'string', Upload: 'File' },
      },
    },
  },
};
export default config;
