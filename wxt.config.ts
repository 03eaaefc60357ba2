import { defineConfig } from 'wxt';
import { normalizeServerUrl } from './core/sync/url.ts';

// The sharing server people use unless they choose another (components/sharing/ServerField.tsx):
// a clinic builds with its own, `VARDE_DEFAULT_SERVER=https://varde.example.org npm run build`.
// A value that is not a server address stops the build.
const defaultServer = normalizeServerUrl(process.env.VARDE_DEFAULT_SERVER || 'http://localhost:1234');

// See docs/architecture.md. The extension is MV3 for Chromium and builds for Firefox too.
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  // Explicit imports everywhere: core/ must never pick up `browser` by accident.
  imports: false,
  srcDir: '.',
  // VARDE_OUT_DIR lets parallel builds (e.g. several test runs) use separate folders.
  outDir: process.env.VARDE_OUT_DIR ?? '.output',
  vite: () => ({ define: { __VARDE_DEFAULT_SERVER__: JSON.stringify(defaultServer) } }),
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // unlimitedStorage: the plan lives in IndexedDB, and the browser must never evict it to
    // free space. No host permissions: the extension reads no web page.
    permissions: browser === 'firefox' ? ['unlimitedStorage'] : ['unlimitedStorage', 'sidePanel'],
    // The toolbar button's title ("Open crisis card", translated) is set in the popup's HTML
    // (`manifest.title`): WXT takes the action's title from the popup entrypoint.
    // Firefox keeps an add-on's IndexedDB only under a stable id.
    ...(browser === 'firefox' ? { browser_specific_settings: { gecko: { id: 'varde@varde.invalid' } } } : {}),
  }),
});
