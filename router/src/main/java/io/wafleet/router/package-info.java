/**
 * The router: the fleet table it reads ({@link io.wafleet.router.FleetState}), its metrics and its application. Its
 * packages, each depending only on those before it: {@code select} (selection and its balancers), this one (the fleet
 * table), {@code accounts} (account state), {@code lifecycle} (the flows that carry accounts), {@code requests} (the
 * consumer of wa.connection-requests and the REST calls' request-reply), {@code members} (the routers' membership:
 * who owns which accounts) and {@code operations} (drain and bulk), then the web: {@code api}, and {@code admin},
 * {@code auth} and {@code dashboard} on it.
 */
package io.wafleet.router;
