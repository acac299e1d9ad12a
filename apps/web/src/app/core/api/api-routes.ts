import { API_ROUTES, type ApiPathParams, type ApiRoute } from './generated/api.generated';

export { API_ROUTES as ROUTES, type ApiRoute as Route };

/** Routes whose path has no parameters. */
type PlainRoute = { [R in ApiRoute]: ApiPathParams[R] extends Record<string, never> ? R : never }[ApiRoute];

/**
 * The URL path of a generated route, its `{name}` parameters filled in (encoded). The parameters are
 * typed from the OpenAPI document: a route that gains or loses one fails the build where it is called.
 */
export function routePath<R extends ApiRoute>(route: R, ...params: R extends PlainRoute ? [] : [ApiPathParams[R]]): string {
  const values = (params[0] ?? {}) as Readonly<Record<string, string>>;
  return API_ROUTES[route].path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${route} needs the path parameter ${name}`);
    return encodeURIComponent(value);
  });
}
