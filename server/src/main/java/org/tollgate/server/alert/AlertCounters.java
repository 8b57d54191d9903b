package org.tollgate.server.alert;

/**
 * What an alert action did since it started.
 *
 * @param action  the action as logged ({@code mail to root@example.org via smtp.example.org:587 (starttls)})
 * @param told    bans told (a digest tells several)
 * @param sent    mails or requests that went through
 * @param failed  attempts that failed (each retried, until the retries run out)
 * @param dropped bans never told: the queue was full, or the retries ran out
 * @param waiting bans waiting now
 */
public record AlertCounters(String action, long told, long sent, long failed, long dropped, int waiting) {
}
