/**
 * Requests in: the routers' consumer group over wa.connection-requests (partitions taken and given up, offsets
 * committed up to the oldest request not answered, dead letters), and the request-reply the REST endpoints use.
 */
package io.wafleet.router.requests;
