/**
 * Server events in: the receiver of the servers' webhooks (each server proves itself with its own secret), the
 * notices it writes to wa.server-notices, and what a server-wide notice says of the server's health.
 */
package io.wafleet.router.webhooks;
