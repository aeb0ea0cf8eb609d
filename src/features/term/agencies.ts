/** An agency as a claim names it in public: what pages, the API and the CSV show of it. */
export interface AgencyRef {
  slug: string;
  name: string;
  short_name: string | null;
}

/** The agency of claim `c` as JSON (or null): one expression for every public read of claims. */
export const AGENCY_JSON_SQL = `(SELECT json_build_object('slug', a.slug, 'name', a.name, 'short_name', a.short_name)
     FROM agencies a WHERE a.id = c.agency_id)`;

/** How an agency is named in a line of text: "Dinas Pendidikan (Disdik)". */
export function agencyLabel(agency: AgencyRef): string {
  return agency.short_name ? `${agency.name} (${agency.short_name})` : agency.name;
}
