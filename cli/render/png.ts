/**
 * SVG to PNG through resvg (@resvg/resvg-js ships a prebuilt binary inside its npm packages).
 * Loaded lazily, so SVG output and every other command work where that binary is unavailable.
 */

export type PngResult =
  { readonly ok: true; readonly png: Uint8Array } | { readonly ok: false; readonly message: string };

export async function svgToPng(svg: string, zoom = 2): Promise<PngResult> {
  let Resvg: typeof import('@resvg/resvg-js').Resvg;
  try {
    ({ Resvg } = await import('@resvg/resvg-js'));
  } catch (error) {
    return {
      ok: false,
      message: `PNG output needs @resvg/resvg-js, which did not load (${(error as Error).message}); write an .svg instead`,
    };
  }
  const renderer = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return { ok: true, png: renderer.render().asPng() };
}
