import { configApp } from '@adonisjs/eslint-config'

export default configApp(
  { ignores: ['.tandem/**', 'tmp/**'] },
  {
    // Plugins see the application only through the public plugin API.
    files: ['plugins/**/*.ts', 'tests/fixtures/plugins/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^#(?!plugin-api$)',
              message: 'Plugins import only #plugin-api (docs/plugins.md).',
            },
          ],
        },
      ],
    },
  }
)
