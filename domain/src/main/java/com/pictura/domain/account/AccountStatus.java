package com.pictura.domain.account;

public enum AccountStatus { ACTIVE, SUSPENDED, TERMINATED }
