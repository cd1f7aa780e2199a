package dev.nnc.runtime.kernel;

/**
 * Per-thread packing buffers. They grow to the largest block a thread has needed and are then reused,
 * so products in the steady state allocate nothing. Each kernel class asks for its own sizes.
 */
final class Workspace {
    private static final ThreadLocal<Workspace> CURRENT = ThreadLocal.withInitial(Workspace::new);

    private float[] floatA = new float[0], floatB = new float[0], floatTile = new float[0];
    private float[][] floatRows = new float[0][];
    private double[][] doubleRows = new double[0][];
    private double[] doubleA = new double[0], doubleB = new double[0], doubleTile = new double[0];
    private int[] ints = new int[0];

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

    /** Positions (a sparse operand's nonzero elements). */
    int[] ints(int size) {
        if (ints.length < size) ints = new int[size];
        return ints;
    }

    float[] floatTile(int size) {
        if (floatTile.length < size) floatTile = new float[size];
        return floatTile;
    }

    /** At least {@code count} rows of at least {@code width} elements each. */
    float[][] floatRows(int count, int width) {
        if (floatRows.length < count || floatRows[0].length < width) {
            floatRows = new float[Math.max(count, floatRows.length)][Math.max(width, floatRows.length == 0 ? 0 : floatRows[0].length)];
        }
        return floatRows;
    }

    /** At least {@code count} rows of at least {@code width} elements each. */
    double[][] doubleRows(int count, int width) {
        if (doubleRows.length < count || doubleRows[0].length < width) {
            doubleRows = new double[Math.max(count, doubleRows.length)][Math.max(width, doubleRows.length == 0 ? 0 : doubleRows[0].length)];
        }
        return doubleRows;
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
