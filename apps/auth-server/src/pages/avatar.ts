import { escapeHtml } from './html';

/** A round avatar with initials: profile pictures that work offline. */
export function avatarSvg(initials: string): string {
  const hue = [...initials].reduce((sum, char) => sum + char.charCodeAt(0) * 47, 0) % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
<circle cx="64" cy="64" r="64" fill="hsl(${hue} 55% 45%)"/>
<text x="64" y="64" dy=".35em" text-anchor="middle" font-family="system-ui,sans-serif" font-size="52" font-weight="600" fill="#fff">${escapeHtml(initials)}</text>
</svg>
`;
}
