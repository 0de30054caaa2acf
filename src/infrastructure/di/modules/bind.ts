import type { BindToFluentSyntax, ContainerModuleLoadOptions } from "inversify";
import type { Token } from "../tokens";

/** `bind` keyed by a typed token, so what is bound is checked against the token's type. */
export function typedBind(options: ContainerModuleLoadOptions) {
  return <T>(token: Token<T>): BindToFluentSyntax<T> => options.bind<T>(token);
}

/** The tokens of a factory's parameters, in order; each must carry the parameter's type. */
export type TokensOf<A extends unknown[]> = { [I in keyof A]: Token<A[I]> };

/**
 * Binds `token` to what `make` builds from the other tokens, once (singleton), without decorators:
 * the classes stay free of any container import.
 */
export function bindFactory<T, A extends unknown[]>(
  options: ContainerModuleLoadOptions,
  token: Token<T>,
  make: (...args: A) => T,
  deps: TokensOf<A>,
): void {
  options
    .bind<T>(token)
    .toResolvedValue((...args: unknown[]) => make(...(args as A)), deps as unknown as symbol[])
    .inSingletonScope();
}
