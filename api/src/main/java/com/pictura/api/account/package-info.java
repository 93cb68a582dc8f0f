/** Sign-up (account, wallet and password in one transaction), sign-in and out, and what termination sets off. */
package com.pictura.api.account;
