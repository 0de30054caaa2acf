// The dependency rule of the hexagon, checked on every `npm test`:
// domain imports nothing outside itself; application imports only domain;
// infrastructure and interfaces never import each other's insides; web/ reaches
// src/ only through src/interfaces and the composition root. Inside the application
// and the interfaces, a capability imports only itself and `shared`, never another
// capability: capabilities meet in the composition root and the route table.
module.exports = {
  forbidden: [
    {
      name: "domain-is-pure",
      comment: "src/domain imports nothing outside src/domain.",
      severity: "error",
      from: { path: "^src/domain/" },
      to: { pathNot: "^src/domain/" },
    },
    {
      name: "application-depends-only-on-domain",
      comment: "src/application imports only src/domain and itself: no framework, driver or adapter.",
      severity: "error",
      from: { path: "^src/application/" },
      to: { pathNot: "^src/(domain|application)/" },
    },
    {
      name: "capability-imports-only-itself-and-shared",
      comment:
        "A capability of the application (src/application/<capability>/) imports only its own folder, application/shared and the domain, never another capability's use cases or ports.",
      severity: "error",
      from: { path: "^src/application/([^/]+)/" },
      to: { path: "^src/application/", pathNot: "^src/application/($1|shared)/" },
    },
    {
      name: "http-capability-imports-only-itself-and-shared",
      comment: "A capability's handlers (src/interfaces/http/<capability>.ts) use the shared edge only; the route table joins them.",
      severity: "error",
      from: { path: "^src/interfaces/http/[^/]+\\.ts$", pathNot: "^src/interfaces/http/(routes|index)\\.ts$" },
      to: { path: "^src/interfaces/http/[^/]+\\.ts$" },
    },
    {
      name: "web-capability-imports-only-itself-and-shared",
      comment: "Server actions and page data of a capability (src/interfaces/web/<capability>/) use their own folder and web/shared only.",
      severity: "error",
      from: { path: "^src/interfaces/web/([^/]+)/" },
      to: { path: "^src/interfaces/web/[^/]+/", pathNot: "^src/interfaces/web/($1|shared)/" },
    },
    {
      name: "no-framework-in-core",
      comment: "No framework, driver or Node built-in in the domain or the application layer.",
      severity: "error",
      from: { path: "^src/(domain|application)/" },
      to: { dependencyTypes: ["core", "npm", "npm-dev", "npm-optional", "npm-peer", "npm-no-pkg", "unknown"] },
    },
    {
      name: "infrastructure-not-into-interfaces",
      severity: "error",
      from: { path: "^src/infrastructure/" },
      to: { path: "^src/interfaces/" },
    },
    {
      name: "interfaces-only-through-composition-root",
      comment: "src/interfaces may use the composition root (src/infrastructure/di) but no adapter's insides.",
      severity: "error",
      from: { path: "^src/interfaces/" },
      to: { path: "^src/infrastructure/", pathNot: "^src/infrastructure/di/" },
    },
    {
      name: "web-is-a-thin-adapter",
      comment: "web/ reaches src/ only through src/interfaces and the composition root.",
      severity: "error",
      from: { path: "^web/" },
      to: { path: "^src/", pathNot: "^src/(interfaces|infrastructure/di)/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)\\.next[^/]*/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
