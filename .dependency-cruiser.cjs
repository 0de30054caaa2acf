// The dependency rule of the hexagon, checked on every `npm test`:
// domain imports nothing outside itself; application imports only domain;
// infrastructure and interfaces never import each other's insides; web/ reaches
// src/ only through src/interfaces and the composition root.
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
    exclude: { path: "(^|/)\\.next/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
