/**
 * The flows that carry an account, one class each: the queue per account, connect with placement and retry, the
 * session watch, migrate, disconnect and QR refresh, and the events they publish; calls to servers are asynchronous.
 */
package io.wafleet.router.lifecycle;
