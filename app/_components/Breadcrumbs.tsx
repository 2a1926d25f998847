/** The trail above a page ("models / warpeace-2x256 / sample"): every step but the last a link, the last the current page. */
import Link from "next/link";

export interface Crumb {
  label: string;
  /** Absent for the current page. */
  href?: string;
  /** Ids (models, units) are set in monospace. */
  mono?: boolean;
}

export function Breadcrumbs({ trail, className = "" }: { trail: Crumb[]; className?: string }) {
  return (
    <nav aria-label="Breadcrumb" className={`flex flex-wrap gap-1 text-sm text-stone-500 ${className}`}>
      {trail.map((c, i) => (
        <span key={i} className="contents">
          {i > 0 && <span aria-hidden="true">/</span>}
          {c.href && i < trail.length - 1 ? (
            <Link href={c.href} className={`hover:underline ${c.mono ? "font-mono" : ""}`}>
              {c.label}
            </Link>
          ) : (
            <span className={`text-stone-800 ${c.mono ? "font-mono" : ""}`} aria-current="page">
              {c.label}
            </span>
          )}
        </span>
      ))}
    </nav>
  );
}
