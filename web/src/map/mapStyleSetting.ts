declare global {
  interface Window {
    /** Deployment settings the server may inject into the page before the app starts. */
    __PASSERELLE_CONFIG__?: { mapStyleUrl?: string | null; streetTiles?: boolean };
  }
}

/**
 * The online street style chosen by the deployment, or null for the built-in offline style. Newcomers'
 * pages make no third-party request unless the deployment opts in here.
 */
export function configuredMapStyleUrl(): string | null {
  const fromConfig = window.__PASSERELLE_CONFIG__?.mapStyleUrl?.trim();
  if (fromConfig) return fromConfig;
  const fromMeta = document.querySelector<HTMLMetaElement>('meta[name="passerelle-map-style"]')?.content.trim();
  return fromMeta || null;
}
