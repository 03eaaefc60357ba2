import { defineConfig } from 'wxt';

// See docs/architecture.md. The extension is MV3 for Chromium and builds for Firefox too.
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  // Explicit imports everywhere: core/ must never pick up `browser` by accident.
  imports: false,
  srcDir: '.',
  // VARDE_OUT_DIR lets parallel builds (e.g. several test runs) use separate folders.
  outDir: process.env.VARDE_OUT_DIR ?? '.output',
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: browser === 'firefox' ? ['storage'] : ['storage', 'sidePanel'],
    action: { default_title: '__MSG_extActionTitle__' },
  }),
});
