/** Who is asking, as far as the transport can tell; recorded on sessions and auth events. */
export interface RequestContext {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export const NO_CONTEXT: RequestContext = { ip: null, userAgent: null };
