/** Types of csp-directives.cjs (see there). */
export declare const SHARED_DIRECTIVES: readonly string[];
