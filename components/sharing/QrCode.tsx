import { useMemo } from 'react';
import qrcode from 'qrcode-generator';

/** Modules of quiet zone around the code, as the QR standard asks. */
const QUIET = 4;

/**
 * A QR code of `value` (an invite link), for a phone's camera: drawn as one SVG path from the
 * library's modules (no markup from outside), black on white whatever the theme, since
 * cameras read dark on light best. `label` is its accessible name.
 */
export function QrCode({ value, label }: { value: string; label: string }) {
  const { d, size } = useMemo(() => {
    const qr = qrcode(0, 'M');
    qr.addData(value);
    qr.make();
    const n = qr.getModuleCount();
    let path = '';
    for (let r = 0; r < n; r++)
      for (let c = 0; c < n; c++) if (qr.isDark(r, c)) path += `M${c + QUIET},${r + QUIET}h1v1h-1z`;
    return { d: path, size: n + 2 * QUIET };
  }, [value]);
  return (
    <svg
      className="sharing-qr"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${size} ${size}`}
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
