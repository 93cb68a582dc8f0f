/**
 * Sign-up (account with the accepted Terms of Service, wallet, password and verification mail in one
 * transaction), email verification, password change, sign-in and out, and what termination sets off.
 */
package com.pictura.api.account;
