package com.pictura.domain.actor;

/**
 * A command that says who sent it. {@link ActorCorrelation} copies the actor (and the reason, where a command
 * has one) into the metadata of every event the command causes.
 */
public interface Attributed {

    Actor actor();

    /** Why, in the words of whoever asked; {@code null} where a command needs no reason. */
    default String reason() {
        return null;
    }
}
