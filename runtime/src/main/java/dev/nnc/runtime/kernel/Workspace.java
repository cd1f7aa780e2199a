package dev.nnc.runtime.kernel;

/**
 * Per-thread packing buffers. They grow to the largest block a thread has needed and are then reused,
 * so products in the steady state allocate nothing. Each kernel class asks for its own sizes.
 */
final class Workspace {
    private static final ThreadLocal<Workspace> CURRENT = ThreadLocal.withInitial(Workspace::new);

    private float[] floatA = new float[0], floatB = new float[0], floatTile = new float[0];
    private double[] doubleA = new double[0], doubleB = new double[0], doubleTile = new double[0];

    static Workspace get() {
        return CURRENT.get();
    }

    float[] floatA(int size) {
        if (floatA.length < size) floatA = new float[size];
        return floatA;
    }

    float[] floatB(int size) {
        if (floatB.length < size) floatB = new float[size];
        return floatB;
    }

    float[] floatTile(int size) {
        if (floatTile.length < size) floatTile = new float[size];
        return floatTile;
    }

    double[] doubleA(int size) {
        if (doubleA.length < size) doubleA = new double[size];
        return doubleA;
    }

    double[] doubleB(int size) {
        if (doubleB.length < size) doubleB = new double[size];
        return doubleB;
    }

    double[] doubleTile(int size) {
        if (doubleTile.length < size) doubleTile = new double[size];
        return doubleTile;
    }
}
