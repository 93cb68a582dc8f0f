/**
 * Mail to people: an outbox written in the transaction of what the mail tells of, delivered after the commit
 * by SMTP when {@code spring.mail.host} is set, else kept as the built-in mailbox ({@code GET /api/outbox}).
 */
package com.pictura.api.mail;
